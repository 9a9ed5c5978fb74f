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

pub(crate) mod banned_recipient;
pub(crate) mod copy_abroad;
pub(crate) mod filing_outdated;
pub(crate) mod foreign_recipient;
pub(crate) mod location_mismatch;
pub(crate) mod location_unknown;
pub(crate) mod non_adequate_country;
pub(crate) mod policy_contradicted;
pub(crate) mod policy_omits_country;
pub(crate) mod policy_omits_recipient;
pub(crate) mod policy_stale;
pub(crate) mod primary_outside_ru;
pub(crate) mod processor_without_instruction;
pub(crate) mod unclassified_storage;
pub(crate) mod undeclared_cross_border;
pub(crate) mod undeclared_third_party;
pub(crate) mod unlisted_storage;
pub(crate) mod unlisted_third_party;
pub(crate) mod unscanned_page;
pub(crate) mod unused_declaration;
pub(crate) mod waiver_expired;
pub(crate) mod waiver_unused;
