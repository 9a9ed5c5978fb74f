//! One module per rule; the module name is the rule id in snake_case.
//!
//! # Adding a rule
//!
//! 1. A file here, `rules/<rule_id>.rs`, with:
//!    - `pub const META: RuleMeta` (id in kebab-case, default severity,
//!      description and law in both languages, the two rule pages
//!      `docs/rules/{en,ru}/<rule-id>.md`);
//!    - `pub struct Facts` (or an enum): what the finding says, as data —
//!      ids, countries, dates; never a sentence;
//!    - `pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>)`, pushing
//!      `Finding::about(Facts { .. }.into(), entity, countries, evidence)`
//!      (or `Finding::new` with an explicit primary location), with typed
//!      [`Evidence`](super::Evidence) and, where useful, related locations
//!      (`with_related`).
//! 2. One line in `registry.rs` (`rules!`): `MyRule => my_rule, Audit;`.
//!    That makes the `RuleId::MyRule` variant, the `Facts::MyRule` variant
//!    and the registry entry; accept the new id in the snapshot
//!    (`cargo insta review`).
//! 3. One arm per language in `report/words/en.rs` and `report/words/ru.rs`:
//!    `Facts::MyRule(x) => m.text(..).code(&x.entity).text(..)`. Every
//!    format (table, JSON, Markdown, HTML, SARIF, JUnit, GitLab, GitHub)
//!    takes the message from there.
//!
//! Rules in the `Waivers` phase run after every `Audit` rule and see their
//! findings; their findings cannot be waived.

pub mod banned_recipient;
pub mod copy_abroad;
pub mod filing_outdated;
pub mod foreign_recipient;
pub mod location_mismatch;
pub mod location_unknown;
pub mod non_adequate_country;
pub mod policy_contradicted;
pub mod policy_omits_country;
pub mod policy_omits_recipient;
pub mod policy_stale;
pub mod primary_outside_ru;
pub mod processor_without_instruction;
pub mod unclassified_storage;
pub mod undeclared_cross_border;
pub mod undeclared_third_party;
pub mod unlisted_storage;
pub mod unlisted_third_party;
pub mod unscanned_page;
pub mod unused_declaration;
pub mod waiver_expired;
pub mod waiver_unused;
