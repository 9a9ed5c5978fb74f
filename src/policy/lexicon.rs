//! Names in any case form: a name (one or more words) is turned into the
//! set of forms of each word — Russian words declined by the endings of
//! `data/policy-declension.tsv`, Latin words with -s/-es — and found in a
//! sentence's words by a hash lookup of the first word, longest name
//! first. Time is linear in the words of the sentence (times the longest
//! name, a constant).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::text::{Word, normalise, words};

const DECLENSION: &str = include_str!("../../data/policy-declension.tsv");

/// (ending, forms) rows; `""` ending = any consonant.
fn rules() -> &'static [(String, Vec<String>)] {
    static RULES: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    RULES.get_or_init(|| {
        crate::reference::tsv_rows(DECLENSION)
            .filter_map(|(_, cols)| match cols.as_slice() {
                [ending, forms] => Some((
                    if *ending == "-" {
                        String::new()
                    } else {
                        ending.to_string()
                    },
                    forms
                        .split_whitespace()
                        .map(|f| {
                            if f == "-" {
                                String::new()
                            } else {
                                f.to_string()
                            }
                        })
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    })
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&c)
}

const VOWELS: &str = "аеёиоуыэюяьй";

/// Every form of one word as written in a dictionary. An all-capitals
/// word (an abbreviation: «США», «ООО») and a word with digits stay as
/// they are.
pub(crate) fn forms(word: &str) -> Vec<String> {
    let norm = normalise(word);
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let abbreviation = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    if abbreviation || word.chars().any(|c| c.is_ascii_digit()) {
        return vec![norm];
    }
    if norm.chars().all(|c| c.is_ascii_alphabetic()) {
        let mut v = vec![norm.clone(), format!("{norm}s"), format!("{norm}es")];
        if let Some(stem) = norm.strip_suffix('y') {
            v.push(format!("{stem}ies"));
        }
        return v;
    }
    if !norm.chars().all(is_cyrillic) {
        return vec![norm];
    }
    let last = norm.chars().next_back().unwrap_or(' ');
    let rule = rules()
        .iter()
        .filter(|(ending, _)| {
            if ending.is_empty() {
                !VOWELS.contains(last)
            } else {
                norm.ends_with(ending.as_str())
            }
        })
        .max_by_key(|(ending, _)| ending.len());
    let Some((ending, endings)) = rule else {
        return vec![norm];
    };
    let stem = &norm[..norm.len() - ending.len()];
    if stem.chars().count() < 2 {
        return vec![norm];
    }
    let mut v: Vec<String> = endings.iter().map(|e| format!("{stem}{e}")).collect();
    v.push(norm.clone());
    v.sort();
    v.dedup();
    v
}

/// One name: the forms of each of its words, and what it stands for.
#[derive(Debug)]
struct Entry<T> {
    words: Vec<HashSet<String>>,
    target: T,
}

/// Names to find in sentences.
#[derive(Debug)]
pub(crate) struct Lexicon<T> {
    entries: Vec<Entry<T>>,
    /// A form of a first word → the entries that start with it.
    first: HashMap<String, Vec<usize>>,
    /// Names are found only when their first word starts with a capital.
    capital: bool,
}

/// One name found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit<'a, T> {
    /// Byte range in the sentence.
    pub start: usize,
    pub end: usize,
    pub targets: Vec<&'a T>,
}

impl<T: PartialEq> Lexicon<T> {
    pub(crate) fn new(capital: bool) -> Self {
        Self {
            entries: Vec::new(),
            first: HashMap::new(),
            capital,
        }
    }

    /// Add a name, declined automatically.
    pub(crate) fn add(&mut self, name: &str, target: T) {
        let per_word: Vec<HashSet<String>> = words(name)
            .iter()
            .map(|w| forms(&name[w.start..w.end]).into_iter().collect())
            .collect();
        self.add_forms(per_word, target);
    }

    /// Add a name matched only as written (case aside).
    pub(crate) fn add_exact(&mut self, name: &str, target: T) {
        let per_word = words(name)
            .into_iter()
            .map(|w| HashSet::from([w.norm]))
            .collect();
        self.add_forms(per_word, target);
    }

    /// Add a one-word name with exactly these forms.
    pub(crate) fn add_listed(&mut self, forms: &[&str], target: T) {
        let set: HashSet<String> = forms.iter().map(|f| normalise(f)).collect();
        self.add_forms(vec![set], target);
    }

    fn add_forms(&mut self, words: Vec<HashSet<String>>, target: T) {
        if words.is_empty() {
            return;
        }
        let i = self.entries.len();
        for f in &words[0] {
            self.first.entry(f.clone()).or_default().push(i);
        }
        self.entries.push(Entry { words, target });
    }

    /// Remove every name whose words equal these forms (a `never` row).
    pub(crate) fn remove(&mut self, name: &str) {
        let ws: Vec<String> = words(name).into_iter().map(|w| w.norm).collect();
        let dead: HashSet<usize> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.words.len() == ws.len() && e.words.iter().zip(&ws).all(|(f, w)| f.contains(w))
            })
            .map(|(i, _)| i)
            .collect();
        for list in self.first.values_mut() {
            list.retain(|i| !dead.contains(i));
        }
    }

    /// The names in a sentence (its words), longest first at each place,
    /// left to right, not overlapping.
    pub(crate) fn find<'a>(&'a self, ws: &[Word]) -> Vec<Hit<'a, T>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            let mut best: Option<(usize, Vec<&'a T>)> = None;
            if !self.capital || ws[i].capital {
                for &e in self.first.get(&ws[i].norm).into_iter().flatten() {
                    let entry = &self.entries[e];
                    let n = entry.words.len();
                    if i + n > ws.len()
                        || !entry.words[1..]
                            .iter()
                            .zip(&ws[i + 1..i + n])
                            .all(|(f, w)| f.contains(&w.norm))
                    {
                        continue;
                    }
                    match &mut best {
                        Some((len, targets)) if *len == n => {
                            if !targets.contains(&&entry.target) {
                                targets.push(&entry.target);
                            }
                        }
                        Some((len, _)) if *len > n => {}
                        _ => best = Some((n, vec![&entry.target])),
                    }
                }
            }
            match best {
                Some((n, targets)) => {
                    out.push(Hit {
                        start: ws[i].start,
                        end: ws[i + n - 1].end,
                        targets,
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_declension_table_is_well_formed() {
        let rows = crate::reference::tsv_rows(DECLENSION).count();
        assert_eq!(rules().len(), rows);
        assert!(
            rules().iter().any(|(e, _)| e.is_empty()),
            "a consonant rule"
        );
    }

    #[test]
    fn words_decline_by_their_ending() {
        let has = |w: &str, f: &str| forms(w).contains(&f.to_string());
        for f in ["германия", "германии", "германию", "германией"]
        {
            assert!(has("Германия", f), "{f}");
        }
        for f in [
            "казахстан",
            "казахстана",
            "казахстану",
            "казахстаном",
            "казахстане",
        ] {
            assert!(has("Казахстан", f), "{f}");
        }
        for f in ["китай", "китая", "китаю", "китаем", "китае"] {
            assert!(has("Китай", f), "{f}");
        }
        for f in ["беларусь", "беларуси", "беларусью"] {
            assert!(has("Беларусь", f), "{f}");
        }
        for f in ["штаты", "штатов", "штатам", "штатами", "штатах"] {
            assert!(has("Штаты", f), "{f}");
        }
        for f in ["соединенные", "соединенных", "соединенным", "соединенными"]
        {
            assert!(has("Соединённые", f), "{f}");
        }
        assert_eq!(forms("США"), ["сша"]);
        assert_eq!(forms("Перу"), ["перу"]);
        assert!(has("provider", "providers") && has("party", "parties"));
    }

    #[test]
    fn names_are_found_longest_first() {
        let mut lx: Lexicon<&str> = Lexicon::new(false);
        lx.add("Яндекс", "yandex");
        lx.add("Яндекс.Метрика", "metrica");
        lx.add("Google Analytics", "ga");
        let ws = words("Мы используем Яндекс.Метрики, сервисы Яндекса и Google Analytics.");
        let found: Vec<Vec<&&str>> = lx.find(&ws).into_iter().map(|h| h.targets).collect();
        assert_eq!(found, [vec![&"metrica"], vec![&"yandex"], vec![&"ga"]]);
        let mut caps: Lexicon<&str> = Lexicon::new(true);
        caps.add("Перу", "PE");
        assert!(caps.find(&words("к перу")).is_empty());
        assert_eq!(caps.find(&words("в Перу")).len(), 1);
        caps.remove("Перу");
        assert!(caps.find(&words("в Перу")).is_empty());
    }
}
