//! Every rule, in a fixed order: one line per rule in [`rules!`] below
//! makes its [`RuleId`] variant, its [`Facts`] variant and its entry in
//! [`RULES`]. See `rules/mod.rs` for how to add a rule.

use std::fmt;
use std::str::FromStr;

use super::rules::*;
use super::{Context, Finding, RuleMeta};

/// When a rule runs.
#[derive(Clone, Copy)]
pub enum Phase {
    /// Judges the audit: `check(cx) -> findings`.
    Audit(fn(&Context<'_>, &mut Vec<Finding>)),
    /// Judges the waivers, after every audit rule: sees their findings.
    Waivers(fn(&Context<'_>, &[Finding], &mut Vec<Finding>)),
}

/// A rule: its description and its check.
pub struct Rule {
    pub id: RuleId,
    pub meta: &'static RuleMeta,
    pub phase: Phase,
}

macro_rules! rules {
    ($($variant:ident => $module:ident, $phase:ident;)*) => {
        /// A rule's identity. Its kebab-case id ([`RuleId::as_str`]) is
        /// public API: users' waivers, baselines and CI scripts name it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in registry order.
            pub const ALL: &[RuleId] = &[$(RuleId::$variant,)*];

            /// The rule's module under `rules/`: its id in snake_case.
            pub fn module(self) -> &'static str {
                match self {
                    $(RuleId::$variant => stringify!($module),)*
                }
            }

            /// The rule's fixed description.
            pub fn meta(self) -> &'static RuleMeta {
                match self {
                    $(RuleId::$variant => &$module::META,)*
                }
            }
        }

        /// The facts of a finding: one variant per rule, each the rule's
        /// own `Facts` type (in its file).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Facts {
            // Boxed: the facts of some rules are large, and a large audit
            // holds hundreds of thousands of findings.
            $($variant(Box<$module::Facts>),)*
        }

        impl Facts {
            /// The rule these are facts of.
            pub fn rule(&self) -> RuleId {
                match self {
                    $(Facts::$variant(_) => RuleId::$variant,)*
                }
            }
        }

        $(
            impl From<$module::Facts> for Facts {
                fn from(f: $module::Facts) -> Self {
                    Facts::$variant(Box::new(f))
                }
            }
        )*

        /// Every rule, in a fixed order.
        pub const RULES: &[Rule] = &[
            $(Rule {
                id: RuleId::$variant,
                meta: &$module::META,
                phase: Phase::$phase($module::check),
            },)*
        ];
    };
}

rules! {
    PrimaryOutsideRu => primary_outside_ru, Audit;
    CopyAbroad => copy_abroad, Audit;
    LocationUnknown => location_unknown, Audit;
    LocationMismatch => location_mismatch, Audit;
    UndeclaredThirdParty => undeclared_third_party, Audit;
    UndeclaredCrossBorder => undeclared_cross_border, Audit;
    NonAdequateCountry => non_adequate_country, Audit;
    ForeignRecipient => foreign_recipient, Audit;
    BannedRecipient => banned_recipient, Audit;
    ProcessorWithoutInstruction => processor_without_instruction, Audit;
    UnusedDeclaration => unused_declaration, Audit;
    UnlistedThirdParty => unlisted_third_party, Audit;
    UnscannedPage => unscanned_page, Audit;
    UnlistedStorage => unlisted_storage, Audit;
    UnclassifiedStorage => unclassified_storage, Audit;
    PolicyContradicted => policy_contradicted, Audit;
    PolicyOmitsRecipient => policy_omits_recipient, Audit;
    PolicyOmitsCountry => policy_omits_country, Audit;
    PolicyStale => policy_stale, Audit;
    FilingOutdated => filing_outdated, Audit;
    WaiverExpired => waiver_expired, Waivers;
    WaiverUnused => waiver_unused, Waivers;
}

impl RuleId {
    /// The kebab-case id.
    pub fn as_str(self) -> &'static str {
        self.meta().id
    }

    /// Findings of this rule are about waivers, and cannot be waived.
    pub fn about_waivers(self) -> bool {
        matches!(self.rule().phase, Phase::Waivers(_))
    }

    /// The registry entry.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule id that is not in the registry, with the nearest id when one is
/// close enough to be a typo.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{id}`")]
pub struct UnknownRuleId {
    pub id: String,
    pub hint: Option<&'static str>,
}

impl FromStr for RuleId {
    type Err = UnknownRuleId;
    fn from_str(s: &str) -> Result<Self, UnknownRuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRuleId {
                id: s.to_string(),
                hint: crate::reference::closest(s, ids()),
            })
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RuleId::ALL
        .iter()
        .find(|r| r.as_str() == id)
        .map(|r| r.rule())
}

/// Every rule id, in registry order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.meta.id)
}

impl RuleId {
    /// What a waiver of this rule must look like: the loader checks
    /// waivers with these, and knows no rule itself.
    pub fn waiver_rule(self) -> crate::inventory::WaiverRule {
        use crate::inventory::WaiverTargetKind as T;
        crate::inventory::WaiverRule {
            id: self.as_str(),
            waivable: !self.about_waivers(),
            target: match self {
                RuleId::UnlistedStorage | RuleId::UnclassifiedStorage => T::Resource,
                RuleId::UnusedDeclaration => T::EntityOrDeclarations,
                _ => T::Entity,
            },
            // The exceptions of art. 18 p. 5 are what `reason_code` names.
            reason_code_for: (self == RuleId::PrimaryOutsideRu).then_some("152-FZ art. 18 p. 5"),
        }
    }
}

/// Every rule as the loader checks waivers of it, in registry order.
pub fn waiver_rules() -> Vec<crate::inventory::WaiverRule> {
    RULES.iter().map(|r| r.id.waiver_rule()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rule_ids_are_the_contract() {
        // Rule ids are public API: renaming one breaks users' waivers,
        // baselines and CI scripts. The snapshot makes a rename a reviewed
        // change; each id is its module's name in kebab-case.
        let ids: Vec<&str> = super::ids().collect();
        insta::assert_snapshot!(ids.join("\n"));
        for r in super::RuleId::ALL {
            assert_eq!(r.as_str(), r.module().replace('_', "-"));
            assert_eq!(r.as_str().parse::<super::RuleId>(), Ok(*r));
        }
    }

    #[test]
    fn an_unknown_rule_id_is_a_typed_error_with_the_nearest_id() {
        let e = "copy-abroda".parse::<super::RuleId>().unwrap_err();
        assert_eq!(
            e,
            super::UnknownRuleId {
                id: "copy-abroda".into(),
                hint: Some("copy-abroad"),
            }
        );
        assert_eq!(e.to_string(), "unknown rule `copy-abroda`");
        let e = "zzzzzz".parse::<super::RuleId>().unwrap_err();
        assert!(
            matches!(e, super::UnknownRuleId { hint: None, .. }),
            "{e:?}"
        );
        let _: &dyn std::error::Error = &e;
        assert!(super::find("zzzzzz").is_none());
    }

    #[test]
    fn registry_order_is_the_enum_order() {
        for (i, r) in super::RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i, "{}", r.meta.id);
            assert_eq!(r.id.rule().meta.id, r.meta.id);
        }
        // A waiver-phase rule never runs before an audit rule.
        let first_waiver = super::RULES
            .iter()
            .position(|r| r.id.about_waivers())
            .unwrap_or(super::RULES.len());
        assert!(
            super::RULES[first_waiver..]
                .iter()
                .all(|r| r.id.about_waivers())
        );
    }

    #[test]
    fn rule_pages_have_every_section() {
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
