//! Every rule, in a fixed order. Adding a rule means adding a line here.

use super::rules::*;
use super::{Context, Finding, RuleMeta};

/// A rule: its description and its check.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: fn(&Context<'_>, &mut Vec<Finding>),
}

pub const RULES: &[Rule] = &[
    Rule {
        meta: &primary_outside_ru::META,
        check: primary_outside_ru::check,
    },
    Rule {
        meta: &copy_abroad::META,
        check: copy_abroad::check,
    },
    Rule {
        meta: &location_unknown::META,
        check: location_unknown::check,
    },
    Rule {
        meta: &location_mismatch::META,
        check: location_mismatch::check,
    },
    Rule {
        meta: &undeclared_third_party::META,
        check: undeclared_third_party::check,
    },
    Rule {
        meta: &undeclared_cross_border::META,
        check: undeclared_cross_border::check,
    },
    Rule {
        meta: &non_adequate_country::META,
        check: non_adequate_country::check,
    },
    Rule {
        meta: &processor_without_instruction::META,
        check: processor_without_instruction::check,
    },
    Rule {
        meta: &unused_declaration::META,
        check: unused_declaration::check,
    },
    Rule {
        meta: &unlisted_third_party::META,
        check: unlisted_third_party::check,
    },
    Rule {
        meta: &unscanned_page::META,
        check: unscanned_page::check,
    },
    Rule {
        meta: &unlisted_storage::META,
        check: unlisted_storage::check,
    },
    Rule {
        meta: &policy_contradicted::META,
        check: policy_contradicted::check,
    },
    Rule {
        meta: &policy_omits_recipient::META,
        check: policy_omits_recipient::check,
    },
    Rule {
        meta: &policy_omits_country::META,
        check: policy_omits_country::check,
    },
    Rule {
        meta: &policy_stale::META,
        check: policy_stale::check,
    },
    // The waiver rules judge the other rules' findings: they stay last.
    Rule {
        meta: &waiver_expired::META,
        check: waiver_expired::check,
    },
    Rule {
        meta: &waiver_unused::META,
        check: waiver_unused::check,
    },
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.meta.id == id)
}

/// Every rule id, in registry order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.meta.id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rule_ids_are_the_contract() {
        // Rule ids are public API: renaming one breaks users' CI scripts.
        let ids: Vec<_> = super::ids().collect();
        assert_eq!(
            ids,
            [
                "primary-outside-ru",
                "copy-abroad",
                "location-unknown",
                "location-mismatch",
                "undeclared-third-party",
                "undeclared-cross-border",
                "non-adequate-country",
                "processor-without-instruction",
                "unused-declaration",
                "unlisted-third-party",
                "unscanned-page",
                "unlisted-storage",
                "policy-contradicted",
                "policy-omits-recipient",
                "policy-omits-country",
                "policy-stale",
                "waiver-expired",
                "waiver-unused",
            ]
        );
        for r in super::RULES {
            for section in [
                "## What it checks",
                "## Why",
                "## How to fix",
                "## How to accept the risk",
            ] {
                assert!(r.meta.doc_en.contains(section), "{}: {section}", r.meta.id);
            }
            for section in [
                "## Что проверяется",
                "## Почему это важно",
                "## Как исправить",
                "## Как принять риск",
            ] {
                assert!(r.meta.doc_ru.contains(section), "{}: {section}", r.meta.id);
            }
            assert!(
                r.meta.doc_en.starts_with(&format!("# {}\n", r.meta.id)),
                "{}",
                r.meta.id
            );
            assert!(
                !r.meta.doc_en.contains("future `waivers:`"),
                "{}",
                r.meta.id
            );
            assert!(!r.meta.description.ends_with('.'), "{}", r.meta.id);
            assert!(
                r.meta.description.chars().next().unwrap().is_lowercase(),
                "{}",
                r.meta.id
            );
        }
    }
}
