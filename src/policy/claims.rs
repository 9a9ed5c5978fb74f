//! The statements about where data is kept (`data/policy-claims.tsv`):
//! ordered groups of word stems matched in one sentence, with negation.

use std::sync::OnceLock;

use super::text::Word;

const DATA: &str = include_str!("../../data/policy-claims.tsv");

/// Negation words: within [`NEGATION_REACH`] words before a matched word
/// of a negatable pattern, they turn the sentence into the opposite.
const NEGATIONS: &[&str] = &["не", "нет", "ни", "not", "never", "no", "nor"];
const NEGATION_REACH: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClaimKind {
    Localisation,
    NoTransfer,
    Transfer,
}

/// An alternative: words, each exact (up to 3 letters) or a stem.
type Phrase = Vec<String>;

#[derive(Debug)]
pub struct Pattern {
    pub kind: ClaimKind,
    pub negatable: bool,
    groups: Vec<Vec<Phrase>>,
}

pub fn patterns() -> &'static [Pattern] {
    static ALL: OnceLock<Vec<Pattern>> = OnceLock::new();
    ALL.get_or_init(|| {
        crate::reference::tsv_rows(DATA)
            .filter_map(|(_, cols)| parse_row(&cols))
            .collect()
    })
}

fn parse_row(cols: &[&str]) -> Option<Pattern> {
    let [kind, negatable, pattern] = cols else {
        return None;
    };
    let kind = match *kind {
        "localisation" => ClaimKind::Localisation,
        "no-transfer" => ClaimKind::NoTransfer,
        "transfer" => ClaimKind::Transfer,
        _ => return None,
    };
    let negatable = match *negatable {
        "yes" => true,
        "no" => false,
        _ => return None,
    };
    let groups: Vec<Vec<Phrase>> = pattern
        .split(" + ")
        .map(|g| {
            g.split('|')
                .map(|alt| {
                    super::text::words(alt)
                        .into_iter()
                        .map(|w| w.norm)
                        .collect::<Phrase>()
                })
                .filter(|p| !p.is_empty())
                .collect()
        })
        .collect();
    if groups.is_empty() || groups.iter().any(Vec::is_empty) {
        return None;
    }
    Some(Pattern {
        kind,
        negatable,
        groups,
    })
}

fn word_matches(pat: &str, w: &str) -> bool {
    if pat.chars().count() <= 3 {
        pat == w
    } else {
        w.starts_with(pat)
    }
}

/// The phrase at word `i`: the number of words it spans.
fn phrase_at(p: &Phrase, ws: &[Word], i: usize) -> Option<usize> {
    (i + p.len() <= ws.len()
        && p.iter()
            .zip(&ws[i..])
            .all(|(pat, w)| word_matches(pat, &w.norm)))
    .then_some(p.len())
}

impl Pattern {
    /// The first place of each group, in order: the indices of the words
    /// where the groups matched. Greedy: each group at its first place
    /// after the previous one (linear in the words).
    fn find(&self, ws: &[Word]) -> Option<Vec<usize>> {
        let mut at = Vec::with_capacity(self.groups.len());
        let mut i = 0;
        for g in &self.groups {
            let (start, len) = (i..ws.len())
                .find_map(|j| g.iter().find_map(|p| phrase_at(p, ws, j)).map(|n| (j, n)))?;
            at.push(start);
            i = start + len;
        }
        Some(at)
    }
}

fn negated(ws: &[Word], at: &[usize]) -> bool {
    at.iter().any(|&i| {
        ws[i.saturating_sub(NEGATION_REACH)..i]
            .iter()
            .any(|w| NEGATIONS.contains(&w.norm.as_str()))
    })
}

/// The claims a sentence (its words) makes. A sentence that says data is
/// not transferred abroad is not also a transfer; when a sentence reads as
/// both localisation and transfer, a negation anywhere in it decides for
/// localisation («…за пределами РФ не допускается»), else for transfer
/// («хранятся в России и за рубежом»).
pub fn read(ws: &[Word]) -> Vec<ClaimKind> {
    let mut found: Vec<ClaimKind> = Vec::new();
    for p in patterns() {
        if found.contains(&p.kind) {
            continue;
        }
        if let Some(at) = p.find(ws)
            && !(p.negatable && negated(ws, &at))
        {
            found.push(p.kind);
        }
    }
    let has = |found: &[ClaimKind], k| found.contains(&k);
    if has(&found, ClaimKind::NoTransfer) {
        found.retain(|k| *k != ClaimKind::Transfer);
    }
    if has(&found, ClaimKind::Localisation) && has(&found, ClaimKind::Transfer) {
        let negation = ws.iter().any(|w| NEGATIONS.contains(&w.norm.as_str()));
        found.retain(|k| {
            *k != if negation {
                ClaimKind::Transfer
            } else {
                ClaimKind::Localisation
            }
        });
    }
    found.sort();
    found
}

/// [`read`] on a string (tests, property targets).
pub fn read_str(s: &str) -> Vec<ClaimKind> {
    read(&super::text::words(s))
}

#[cfg(test)]
mod tests {
    use super::ClaimKind::*;
    use super::*;

    #[test]
    fn the_shipped_patterns_are_well_formed() {
        assert_eq!(patterns().len(), crate::reference::tsv_rows(DATA).count());
    }

    #[test]
    fn localisation_claims_in_both_languages() {
        for s in [
            "Оператор обеспечивает запись, систематизацию, накопление, хранение, уточнение (обновление, изменение), извлечение персональных данных граждан Российской Федерации с использованием баз данных, находящихся на территории Российской Федерации.",
            "Персональные данные хранятся на серверах, расположенных в России.",
            "Все персональные данные пользователей хранятся в РФ.",
            "Запись, систематизация, накопление, хранение, уточнение, извлечение персональных данных граждан РФ с использованием баз данных, находящихся за пределами территории РФ, не допускаются.",
            "Personal data of Russian citizens is recorded and stored in databases located in the Russian Federation.",
            "We store all personal data on servers in Russia.",
        ] {
            assert_eq!(read_str(s), [Localisation], "{s}");
        }
    }

    #[test]
    fn negated_localisation_is_not_a_claim() {
        for s in [
            "Персональные данные не хранятся на территории Российской Федерации.",
            "Данные хранятся не только в России.",
            "Personal data is not stored in Russia.",
        ] {
            assert!(!read_str(s).contains(&Localisation), "{s}");
        }
        assert_eq!(
            read_str("Данные хранятся в России и за рубежом."),
            [Transfer]
        );
    }

    #[test]
    fn no_transfer_abroad_and_its_negation() {
        for s in [
            "Персональные данные не передаются за пределы РФ.",
            "Оператор не осуществляет трансграничную передачу персональных данных.",
            "Трансграничная передача персональных данных не осуществляется.",
            "Personal data is never transferred outside the Russian Federation.",
            "We do not transfer personal data abroad.",
            "No cross-border transfer of personal data takes place.",
        ] {
            assert_eq!(read_str(s), [NoTransfer], "{s}");
        }
        for s in [
            "Оператор осуществляет трансграничную передачу персональных данных в Казахстан.",
            "Персональные данные могут передаваться за пределы Российской Федерации.",
            "We may transfer personal data to other countries.",
            "Personal data may be subject to cross-border transfer.",
        ] {
            assert_eq!(read_str(s), [Transfer], "{s}");
        }
        assert!(read_str("Оператор обрабатывает данные на основании согласия.").is_empty());
    }
}
