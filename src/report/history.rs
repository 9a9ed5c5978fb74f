//! What changed between two runs: new findings, resolved findings and
//! entities whose countries changed.
//!
//! A run is compared through what its JSON report says, so any earlier
//! `--format json` report (or a `report.json` of the history) can serve as
//! the baseline. Findings are matched by rule, entity and countries: a
//! reworded message is not a change, a finding that moved to another
//! country is one resolved and one new.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;

use super::Audit;

/// What identifies a finding across runs: the one identity of findings.
pub type Key = crate::evaluate::FindingKey;

/// A finding as the history sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub key: Key,
    pub severity: String,
    pub message: String,
    /// Empty when the report had none.
    pub message_ru: String,
}

impl Item {
    /// Nothing: what a finding moved out of a list leaves behind.
    const EMPTY: Self = Self {
        key: Key {
            rule: String::new(),
            entity: String::new(),
            countries: Vec::new(),
        },
        severity: String::new(),
        message: String::new(),
        message_ru: String::new(),
    };

    /// A finding of the run being reported, with its words in both
    /// languages.
    fn of(f: &crate::evaluate::Finding) -> Self {
        Self {
            key: f.key(),
            severity: f.severity.as_str().to_string(),
            message: super::Lang::En.message(f).plain(),
            message_ru: super::Lang::Ru.message(f).plain(),
        }
    }
}

/// The comparable content of one run.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub generated_at: String,
    pub findings: Vec<Item>,
    /// Entity id → its countries.
    pub entities: BTreeMap<String, Vec<String>>,
}

impl Snapshot {
    /// The snapshot of the run being reported.
    pub fn of(a: &Audit) -> Self {
        Self {
            findings: a.findings.iter().map(Item::of).collect(),
            ..Self::of_entities(a)
        }
    }

    /// The snapshot of the run being reported, without its findings.
    fn of_entities(a: &Audit) -> Self {
        Self {
            generated_at: a.generated_at.clone(),
            findings: Vec::new(),
            entities: a
                .inventory
                .entities
                .iter()
                .zip(&a.resolved.locations)
                .map(|(e, l)| {
                    (
                        e.id.clone(),
                        l.countries.iter().map(|c| c.as_str().to_string()).collect(),
                    )
                })
                .collect(),
        }
    }

    /// Read an earlier JSON report (`check --format json`, or the
    /// `report.json` of a run) through the one v1 reader.
    pub fn from_json(file: &str, text: &str) -> Result<Self, Diagnostic> {
        Self::read_from(&super::json::v1::InMemory { file, text })
    }

    /// [`Snapshot::from_json`] from the file, streamed (bounded).
    pub fn read(path: &std::path::Path) -> Result<Self, Diagnostic> {
        Self::read_from(&super::json::bounded::Bounded::new(path))
    }

    fn read_from(src: &impl super::json::v1::Source) -> Result<Self, Diagnostic> {
        let r: super::json::v1::ReportIn = super::json::v1::read_from(src, None)?;
        let mut findings: Vec<Item> = r
            .findings
            .into_iter()
            .map(|f| Item {
                severity: f.severity,
                message: f.message,
                message_ru: f.message_ru,
                key: Key::new(f.rule, f.entity, f.countries),
            })
            .collect();
        findings.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Self {
            generated_at: r.generated_at.unwrap_or_default(),
            findings,
            entities: r
                .entities
                .into_iter()
                .map(|e| {
                    let mut c = e.countries;
                    c.sort();
                    (e.id, c)
                })
                .collect(),
        })
    }
}

/// An entity whose countries differ between two runs; `None` where the
/// entity is absent from that run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub id: String,
    pub before: Option<Vec<String>>,
    pub after: Option<Vec<String>>,
}

/// The difference between a baseline and the current run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// What the run was compared with: a run directory name or a file.
    pub against: String,
    /// The baseline's `generated_at`.
    pub against_generated_at: String,
    pub new: Vec<Item>,
    pub resolved: Vec<Item>,
    pub entities_changed: Vec<Moved>,
    pub no_change: bool,
}

impl Changes {
    /// Compare `current` with `baseline`. Findings are matched as a
    /// multiset of (rule, entity, countries).
    pub fn between(baseline: &Snapshot, current: &Snapshot, against: String) -> Self {
        fn keys(s: &Snapshot) -> Vec<&Key> {
            s.findings.iter().map(|f| &f.key).collect()
        }
        let (new, resolved) = unmatched(&keys(baseline), &keys(current));
        Self::made(
            against,
            baseline,
            new.into_iter()
                .map(|i| current.findings[i].clone())
                .collect(),
            resolved
                .into_iter()
                .map(|i| baseline.findings[i].clone())
                .collect(),
            &current.entities,
        )
    }

    /// Compare the run being reported with `baseline`, as
    /// [`Changes::between`] its snapshot would, making the words of only
    /// the new findings (a 100,000-entity run has hundreds of thousands).
    pub fn of_audit(mut baseline: Snapshot, a: &Audit, against: String) -> Self {
        let current = Snapshot {
            findings: Vec::new(),
            ..Snapshot::of_entities(a)
        };
        let (new, resolved) = {
            let keys: Vec<Key> = a
                .findings
                .iter()
                .map(crate::evaluate::Finding::key)
                .collect();
            let before: Vec<&Key> = baseline.findings.iter().map(|f| &f.key).collect();
            unmatched(&before, &keys.iter().collect::<Vec<_>>())
        };
        let new = new.into_iter().map(|i| Item::of(&a.findings[i])).collect();
        let resolved = resolved
            .into_iter()
            .map(|i| std::mem::replace(&mut baseline.findings[i], Item::EMPTY))
            .collect();
        baseline.findings = Vec::new();
        Self::made(against, &baseline, new, resolved, &current.entities)
    }

    fn made(
        against: String,
        baseline: &Snapshot,
        new: Vec<Item>,
        resolved: Vec<Item>,
        current: &BTreeMap<String, Vec<String>>,
    ) -> Self {
        let mut ids: Vec<&String> = baseline.entities.keys().chain(current.keys()).collect();
        ids.sort();
        ids.dedup();
        let entities_changed: Vec<Moved> = ids
            .into_iter()
            .filter_map(|id| {
                let before = baseline.entities.get(id);
                let after = current.get(id);
                (before != after).then(|| Moved {
                    id: id.clone(),
                    before: before.cloned(),
                    after: after.cloned(),
                })
            })
            .collect();
        let no_change = new.is_empty() && resolved.is_empty() && entities_changed.is_empty();
        Self {
            against,
            against_generated_at: baseline.generated_at.clone(),
            new,
            resolved,
            entities_changed,
            no_change,
        }
    }

    /// "+2 new, −1 resolved, 1 entity moved" or "no change".
    pub fn one_line(&self, lang: super::Lang) -> String {
        if self.no_change {
            return lang.text().no_change_short.into();
        }
        lang.changes_line(
            self.new.len(),
            self.resolved.len(),
            self.entities_changed.len(),
        )
    }
}

/// The positions of the current findings the baseline does not have (new)
/// and of the baseline's findings the current run does not have
/// (resolved), matched as a multiset: of equal keys, the first ones match.
fn unmatched(baseline: &[&Key], current: &[&Key]) -> (Vec<usize>, Vec<usize>) {
    fn rest(from: &[&Key], against: &[&Key]) -> Vec<usize> {
        let mut left: BTreeMap<&Key, usize> = BTreeMap::new();
        for k in against {
            *left.entry(k).or_default() += 1;
        }
        from.iter()
            .enumerate()
            .filter_map(|(i, k)| match left.get_mut(k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    None
                }
                _ => Some(i),
            })
            .collect()
    }
    (rest(current, baseline), rest(baseline, current))
}

/// One run of the history, as its `report.json` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunEntry {
    /// The run's directory name (`2026-11-25-120000`).
    pub dir: String,
    pub generated_at: String,
    pub entities: usize,
    /// Counts per severity, most severe first.
    pub counts: [usize; 5],
    pub failed: bool,
    pub fail_on: String,
    /// (new, resolved, entities changed) against the run before it.
    pub changes: Option<(usize, usize, usize)>,
}

impl RunEntry {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Read a run's `report.json` through the one v1 reader: what the
    /// index shows.
    pub fn from_json(dir: &str, file: &str, text: &str) -> Result<Self, Diagnostic> {
        Self::read_from(dir, &super::json::v1::InMemory { file, text })
    }

    /// [`RunEntry::from_json`] from the file, streamed (bounded): the
    /// entities and findings are counted, not kept.
    pub fn read(dir: &str, path: &std::path::Path) -> Result<Self, Diagnostic> {
        Self::read_from(dir, &super::json::bounded::Bounded::new(path))
    }

    fn read_from(dir: &str, src: &impl super::json::v1::Source) -> Result<Self, Diagnostic> {
        use super::json::v1::{EntityShape, FindingShape, ReportIn};
        let v: ReportIn<EntityShape, FindingShape> = super::json::v1::read_from(src, None)?;
        let s = &v.summary;
        Ok(Self {
            dir: dir.to_string(),
            generated_at: v.generated_at.unwrap_or_default(),
            entities: v.entities.len(),
            counts: [s.critical, s.high, s.medium, s.low, s.info],
            failed: s.failed.unwrap_or(true),
            fail_on: v.fail_on,
            changes: v
                .changes
                .map(|c| (c.new.len(), c.resolved.len(), c.entities_changed.len())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(rule: &str, entity: &str, countries: &[&str]) -> Item {
        Item {
            key: Key {
                rule: rule.into(),
                entity: entity.into(),
                countries: countries.iter().map(|c| c.to_string()).collect(),
            },
            severity: "high".into(),
            message: "m".into(),
            message_ru: String::new(),
        }
    }

    fn snap(findings: Vec<Item>, entities: &[(&str, &[&str])]) -> Snapshot {
        Snapshot {
            generated_at: "t".into(),
            findings,
            entities: entities
                .iter()
                .map(|(id, c)| (id.to_string(), c.iter().map(|c| c.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn matches_by_rule_entity_and_countries() {
        let a = snap(
            vec![item("r", "x", &["US"]), item("r", "y", &["DE"])],
            &[("x", &["US"]), ("y", &["DE"])],
        );
        let same = Changes::between(&a, &a, "prev".into());
        assert!(same.no_change);
        let mut reworded = a.clone();
        reworded.findings[0].message = "other words".into();
        assert!(Changes::between(&a, &reworded, "prev".into()).no_change);

        let b = snap(
            vec![item("r", "x", &["FI"]), item("r", "z", &[])],
            &[("x", &["FI"]), ("z", &[])],
        );
        let c = Changes::between(&a, &b, "prev".into());
        assert!(!c.no_change);
        assert_eq!(c.new, vec![item("r", "x", &["FI"]), item("r", "z", &[])]);
        assert_eq!(
            c.resolved,
            vec![item("r", "x", &["US"]), item("r", "y", &["DE"])]
        );
        let ids: Vec<_> = c.entities_changed.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["x", "y", "z"]);
        assert_eq!(c.entities_changed[1].after, None);
        assert_eq!(c.entities_changed[2].before, None);
    }

    #[test]
    fn duplicates_are_counted() {
        let a = snap(vec![item("r", "x", &[])], &[]);
        let b = snap(vec![item("r", "x", &[]), item("r", "x", &[])], &[]);
        let c = Changes::between(&a, &b, "p".into());
        assert_eq!(c.new.len(), 1);
        assert!(c.resolved.is_empty());
    }

    #[test]
    fn reads_a_json_report() {
        let text = r#"{"schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
            "entities": [{"id": "a", "kind": "database", "countries": ["US", "DE"], "hosts": []}],
            "findings": [{"rule": "copy-abroad", "severity": "medium", "entity": "a",
                          "countries": ["US", "DE"], "message": "m", "evidence": [],
                          "location": {"file": "f", "line": 1, "column": 1}}],
            "summary": {"critical": 0, "high": 0, "medium": 1, "low": 0, "info": 0, "failed": false}}"#;
        let s = Snapshot::from_json("r.json", text).unwrap();
        assert_eq!(s.entities["a"], ["DE", "US"]);
        assert_eq!(s.findings[0].key.countries, ["DE", "US"]);
        assert!(Snapshot::from_json("r.json", "{}").is_err());
        let e = Snapshot::from_json(
            "r.json",
            &text.replace("\"schema_version\": 1", "\"schema_version\": 9"),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("schema_version 9"), "{e}");
        let e = RunEntry::from_json("d", "r.json", text).unwrap();
        assert_eq!(e.counts, [0, 0, 1, 0, 0]);
        assert_eq!(e.entities, 1);
        assert!(!e.failed);
        assert_eq!(e.changes, None);
    }
}
