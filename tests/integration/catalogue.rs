//! The ru/en words come from one catalogue: `src/report/i18n.rs` and
//! `src/report/words/`. A renderer or a command that picks its words with
//! an inline `match lang { Lang::En => "…", Lang::Ru => "…" }` (or
//! `lang == Lang::En`, `use Lang::{En, Ru}`) fails here.

use std::path::Path;

/// Files another change still moves into the catalogue; the list empties
/// when it is merged.
const NOT_YET: &[&str] = &[];

/// Where the words of both languages may sit side by side.
fn is_catalogue(rel: &str) -> bool {
    rel == "src/report/i18n.rs" || rel.starts_with("src/report/words/")
}

use crate::common::rust_sources as sources;

/// The lines of `text` that choose words by language, as `line: text`.
fn inline_choices(text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let code = line.split("//").next().unwrap_or_default();
            let arm =
                (code.contains("Lang::En") || code.contains("Lang::Ru")) && code.contains("=>");
            let compared = code.contains("== Lang::") || code.contains("!= Lang::");
            let unqualified = code.contains("Lang::{");
            (arm || compared || unqualified).then(|| format!("{}: {}", i + 1, line.trim()))
        })
        .collect()
}

#[test]
fn the_scan_sees_each_inline_form() {
    let found = inline_choices(
        "match lang {\n    Lang::En => \"a\",\n    super::Lang::Ru => \"b\",\n}\n\
         let en = lang == Lang::En;\n\
         use Lang::{En, Ru};\n\
         (Self::Noted, Lang::Ru) => \"к сведению\",\n\
         let v = Lang::En.message(f); // Lang::Ru => in a comment\n\
         fn lang_from_env() -> Lang { Lang::Ru }\n",
    );
    assert_eq!(
        found,
        [
            "2: Lang::En => \"a\",",
            "3: super::Lang::Ru => \"b\",",
            "5: let en = lang == Lang::En;",
            "6: use Lang::{En, Ru};",
            "7: (Self::Noted, Lang::Ru) => \"к сведению\",",
        ]
    );
}

#[test]
fn renderers_and_commands_take_their_words_from_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src/report"), &mut files);
    sources(&root.join("src/cli"), &mut files);
    assert!(files.len() > 10, "the renderers and commands were found");
    files.sort();
    let mut violations = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if is_catalogue(&rel) || NOT_YET.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for v in inline_choices(&text) {
            violations.push(format!("{rel}:{v}"));
        }
    }
    assert!(
        violations.is_empty(),
        "words chosen inline instead of from src/report/i18n.rs or src/report/words/:\n{}",
        violations.join("\n")
    );
}
