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

/// The comparable content of one run, whole: the tests' reference for
/// what [`Changes::of_earlier`] reads in two passes.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub generated_at: String,
    pub findings: Vec<Item>,
    /// Entity id → its countries.
    pub entities: BTreeMap<String, Vec<String>>,
}

/// The run being reported: entity id → its countries.
fn entities_of_audit(a: &Audit) -> BTreeMap<String, Vec<String>> {
    a.inventory
        .entities
        .iter()
        .zip(&a.resolved.locations)
        .map(|(e, l)| {
            (
                e.id.clone(),
                l.countries.iter().map(|c| c.as_str().to_string()).collect(),
            )
        })
        .collect()
}

#[cfg(test)]
impl Snapshot {
    /// Read an earlier JSON report (`check --format json`, or the
    /// `report.json` of a run) through the one v1 reader.
    pub fn from_json(file: &str, text: &str) -> Result<Self, Diagnostic> {
        Self::read_from(&super::json::v1::InMemory { file, text })
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
            entities: entities_of(r.entities),
        })
    }
}

/// An earlier report to compare the run being reported with, read from
/// its file in two passes: first the entities and a 128-bit digest of each
/// finding's identity (in file order), then — once the comparison knows
/// which earlier findings are resolved — the words of those findings only.
/// A 100,000-entity report's words are never all held.
#[derive(Debug, Clone)]
pub struct Earlier {
    pub file: std::path::PathBuf,
    pub generated_at: String,
    /// Entity id → its countries (sorted).
    pub entities: BTreeMap<String, Vec<String>>,
    /// [`Key::digest`] of each finding, in the file's order.
    pub digests: Vec<u128>,
}

impl Earlier {
    /// The first pass (streamed, bounded, as every earlier report).
    pub fn read(path: &std::path::Path) -> Result<Self, Diagnostic> {
        use super::json::v1::{EntityIn, KeyDigest, ReportIn};
        let src = super::json::bounded::Bounded::new(path);
        let r: ReportIn<EntityIn, KeyDigest> = super::json::v1::read_from(&src, None)?;
        Ok(Self {
            file: path.to_path_buf(),
            generated_at: r.generated_at.unwrap_or_default(),
            entities: entities_of(r.entities),
            digests: r.findings.into_iter().map(|k| k.0).collect(),
        })
    }

    /// The second pass: the findings at the positions `keep` marks, with
    /// their words, as (position, item).
    fn findings_at(&self, keep: &[bool]) -> Result<Vec<(usize, Item)>, Diagnostic> {
        use std::io::Read;
        let file = self.file.display().to_string();
        let changed = |what: String| Diagnostic {
            file: Some(file.clone()),
            pos: None,
            message: format!("{what} (did the report change while it was compared?)"),
            hint: None,
            related: None,
        };
        let f = crate::diag::open_regular(&self.file).map_err(|e| changed(e.to_string()))?;
        let reader = std::io::BufReader::with_capacity(
            64 * 1024,
            f.take(crate::diag::MAX_REPORT_BYTES.saturating_add(1)),
        );
        let mut de = serde_json::Deserializer::from_reader(reader);
        let found = serde::de::DeserializeSeed::deserialize(Kept(keep), &mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| changed(e.to_string()))?;
        Ok(found
            .into_iter()
            .map(|(i, mut f)| {
                super::json::v1::Clean::clean(&mut f);
                (
                    i,
                    Item {
                        severity: f.severity,
                        message: f.message,
                        message_ru: f.message_ru,
                        key: Key::new(f.rule, f.entity, f.countries),
                    },
                )
            })
            .collect())
    }
}

/// A report's findings at the marked positions, the rest skipped.
struct Kept<'m>(&'m [bool]);

impl<'de> serde::de::DeserializeSeed<'de> for Kept<'_> {
    type Value = Vec<(usize, super::json::v1::FindingIn)>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Kept<'_> {
    type Value = Vec<(usize, super::json::v1::FindingIn)>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a residency JSON report")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'_, str>>()? {
            if key == "findings" {
                out = map.next_value_seed(KeptSeq(self.0))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// The `findings` list of [`Kept`].
struct KeptSeq<'m>(&'m [bool]);

impl<'de> serde::de::DeserializeSeed<'de> for KeptSeq<'_> {
    type Value = Vec<(usize, super::json::v1::FindingIn)>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeptSeq<'_> {
    type Value = Vec<(usize, super::json::v1::FindingIn)>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of findings")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        for i in 0.. {
            if self.0.get(i).copied().unwrap_or(false) {
                match seq.next_element()? {
                    Some(f) => out.push((i, f)),
                    None => break,
                }
            } else if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                break;
            }
        }
        Ok(out)
    }
}

/// Entity id → its countries, sorted.
fn entities_of(entities: Vec<super::json::v1::EntityIn>) -> BTreeMap<String, Vec<String>> {
    entities
        .into_iter()
        .map(|e| {
            let mut c = e.countries;
            c.sort();
            (e.id, c)
        })
        .collect()
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
    #[cfg(test)]
    pub fn between(baseline: &Snapshot, current: &Snapshot, against: String) -> Self {
        fn keys(s: &Snapshot) -> Vec<&Key> {
            s.findings.iter().map(|f| &f.key).collect()
        }
        let (new, resolved) = unmatched(&keys(baseline), &keys(current));
        Self::made(
            against,
            baseline.generated_at.clone(),
            &baseline.entities,
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

    /// Compare the run being reported with an earlier report, as
    /// [`Changes::between`] its snapshot would: findings matched by the
    /// digests of their identities; the words made of only the new
    /// findings and read (second pass) of only the resolved ones.
    pub fn of_earlier(earlier: Earlier, a: &Audit, against: String) -> Result<Self, Diagnostic> {
        let current: Vec<u128> = a.findings.iter().map(|f| f.key().digest()).collect();
        let (new, resolved) = unmatched(&earlier.digests, &current);
        let new = new.into_iter().map(|i| Item::of(&a.findings[i])).collect();
        let mut keep = vec![false; earlier.digests.len()];
        for &i in &resolved {
            keep[i] = true;
        }
        let mut found = earlier.findings_at(&keep)?;
        if found.len() != resolved.len() {
            return Err(Diagnostic {
                file: Some(earlier.file.display().to_string()),
                pos: None,
                message: "the report changed while it was compared: read it again".into(),
                hint: None,
                related: None,
            });
        }
        // In the order of the earlier report's findings sorted by identity
        // (ties in file order), as a snapshot lists them.
        found.sort_by(|(i, x), (j, y)| x.key.cmp(&y.key).then(i.cmp(j)));
        let resolved = found.into_iter().map(|(_, item)| item).collect();
        Ok(Self::made(
            against,
            earlier.generated_at,
            &earlier.entities,
            new,
            resolved,
            &entities_of_audit(a),
        ))
    }

    fn made(
        against: String,
        against_generated_at: String,
        before: &BTreeMap<String, Vec<String>>,
        new: Vec<Item>,
        resolved: Vec<Item>,
        current: &BTreeMap<String, Vec<String>>,
    ) -> Self {
        let mut ids: Vec<&String> = before.keys().chain(current.keys()).collect();
        ids.sort();
        ids.dedup();
        let entities_changed: Vec<Moved> = ids
            .into_iter()
            .filter_map(|id| {
                let after = current.get(id);
                let before = before.get(id);
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
            against_generated_at,
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
fn unmatched<K: Ord>(baseline: &[K], current: &[K]) -> (Vec<usize>, Vec<usize>) {
    fn rest<K: Ord>(from: &[K], against: &[K]) -> Vec<usize> {
        let mut left: BTreeMap<&K, usize> = BTreeMap::new();
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

    /// Read a run's `report.json` text through the one v1 reader: what
    /// the index shows.
    #[cfg(test)]
    pub fn from_json(dir: &str, file: &str, text: &str) -> Result<Self, Diagnostic> {
        Self::read_from(dir, &super::json::v1::InMemory { file, text })
    }

    /// A run's `report.json` (what the index shows), streamed (bounded):
    /// the entities and findings are counted, not kept.
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
    fn an_earlier_report_gives_the_words_of_the_findings_asked_for() {
        let f = |e: &str, m: &str| {
            format!(
                r#"{{"rule": "copy-abroad", "severity": "medium", "entity": "{e}",
                   "countries": ["US"], "message": "{m}", "message_ru": "{m} ru", "evidence": []}}"#
            )
        };
        let text = format!(
            r#"{{"schema_version": 1, "generated_at": "g", "extra": {{"findings": 1}},
                "entities": [{{"id": "a", "countries": ["US"]}}],
                "findings": [{}, {}, {}], "summary": {{}}}}"#,
            f("a", "first"),
            f("b", "second"),
            f("c", "third")
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, &text).unwrap();
        let e = Earlier::read(&path).unwrap();
        assert_eq!(e.generated_at, "g");
        assert_eq!(e.entities["a"], ["US"]);
        let keys: Vec<u128> = ["a", "b", "c"]
            .iter()
            .map(|id| Key::new("copy-abroad", *id, ["US".to_string()]).digest())
            .collect();
        assert_eq!(e.digests, keys);
        let got = e.findings_at(&[false, true, true]).unwrap();
        let got: Vec<(usize, &str, &str)> = got
            .iter()
            .map(|(i, it)| (*i, it.message.as_str(), it.message_ru.as_str()))
            .collect();
        assert_eq!(got, [(1, "second", "second ru"), (2, "third", "third ru")]);
        // The file changed in between: said, not a wrong word.
        std::fs::write(&path, "[]").unwrap();
        assert!(e.findings_at(&[false, true, true]).is_err());
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

    mod props {
        use proptest::prelude::*;

        use super::super::{Earlier, Snapshot};

        fn report(findings: &[serde_json::Value]) -> String {
            serde_json::json!({
                "schema_version": 1,
                "generated_at": "g",
                "entities": [{"id": "a", "countries": ["US"]}],
                "findings": findings,
            })
            .to_string()
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

            /// The comparison's two passes over a file (digests, then the
            /// words of the findings asked for) give what reading the
            /// whole report as text gives, finding by finding — words
            /// cleaned (credentials, control characters) the same way.
            #[test]
            fn two_passes_read_what_one_reads(
                found in proptest::collection::vec(
                    (0..3u8, 0..4u8, proptest::collection::vec(0..3u8, 0..3), "\\PC{0,12}"),
                    0..10,
                ),
                mask in any::<u16>(),
            ) {
                let findings: Vec<serde_json::Value> = found
                    .iter()
                    .map(|(r, e, cs, m)| {
                        let cs: Vec<&str> = cs.iter().map(|c| ["US", "DE", "RU"][*c as usize]).collect();
                        serde_json::json!({
                            "rule": format!("rule-{r}"),
                            "entity": format!("e{e}"),
                            "countries": cs,
                            "severity": "high",
                            "message": format!("{m} password=s3cret"),
                            "message_ru": m,
                        })
                    })
                    .collect();
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("r.json");
                std::fs::write(&path, report(&findings)).unwrap();
                let earlier = Earlier::read(&path).unwrap();
                prop_assert_eq!(earlier.digests.len(), findings.len());
                let keep: Vec<bool> = (0..findings.len()).map(|i| mask >> i & 1 == 1).collect();
                let got = earlier.findings_at(&keep).unwrap();
                let want: Vec<usize> = (0..findings.len()).filter(|i| keep[*i]).collect();
                prop_assert_eq!(got.iter().map(|(i, _)| *i).collect::<Vec<_>>(), want);
                for (i, item) in &got {
                    let one = Snapshot::from_json("r.json", &report(&findings[*i..=*i])).unwrap();
                    prop_assert_eq!(item, &one.findings[0]);
                    prop_assert_eq!(earlier.digests[*i], one.findings[0].key.digest());
                }
            }
        }
    }
}
