//! One module per rule; the module name is the rule id in snake_case.

pub mod copy_abroad;
pub mod location_mismatch;
pub mod location_unknown;
pub mod non_adequate_country;
pub mod policy_contradicted;
pub mod policy_omits_country;
pub mod policy_omits_recipient;
pub mod policy_stale;
pub mod primary_outside_ru;
pub mod processor_without_instruction;
pub mod undeclared_cross_border;
pub mod undeclared_third_party;
pub mod unlisted_storage;
pub mod unlisted_third_party;
pub mod unscanned_page;
pub mod unused_declaration;
pub mod waiver_expired;
pub mod waiver_unused;
