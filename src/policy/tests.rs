use super::*;

fn dict() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| Dictionary::new(None))
}

fn read(text: &str) -> Policy {
    parse_text(text, "policy.md", Some(Format::Markdown), dict())
}

fn countries_in(text: &str) -> Vec<String> {
    read(text)
        .statements
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Country { countries, .. } => Some(
                countries
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect::<Vec<_>>()
                    .join("+"),
            ),
            _ => None,
        })
        .collect()
}

fn services_in(text: &str) -> Vec<Vec<&'static str>> {
    read(text)
        .statements
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Recipient(r) => Some(r.services.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_russian_case_form_of_a_country() {
    let cases: &[(&str, &[&str])] = &[
        ("DE", &["Германия", "Германии", "Германию", "Германией"]),
        (
            "KZ",
            &[
                "Казахстан",
                "Казахстана",
                "Казахстану",
                "Казахстаном",
                "Казахстане",
            ],
        ),
        ("FI", &["Финляндия", "Финляндии", "Финляндию", "Финляндией"]),
        ("CN", &["Китай", "Китая", "Китаю", "Китаем", "Китае"]),
        (
            "NL",
            &[
                "Нидерланды",
                "Нидерландов",
                "Нидерландам",
                "Нидерландами",
                "Нидерландах",
            ],
        ),
        (
            "US",
            &[
                "Соединённые Штаты",
                "Соединённых Штатов",
                "Соединённым Штатам",
                "Соединёнными Штатами",
                "Соединенных Штатах",
                "США",
            ],
        ),
        ("BY", &["Беларусь", "Беларуси", "Беларусью"]),
        ("EG", &["Египет", "Египта", "Египту", "Египтом", "Египте"]),
        (
            "AE",
            &[
                "Объединённые Арабские Эмираты",
                "Объединённых Арабских Эмиратов",
                "Объединённым Арабским Эмиратам",
                "ОАЭ",
            ],
        ),
        (
            "KR",
            &["Южная Корея", "Южной Кореи", "Южную Корею", "Южной Кореей"],
        ),
    ];
    for (code, forms) in cases {
        for f in *forms {
            assert_eq!(
                countries_in(&format!("Данные передаются в {f}.")),
                [*code],
                "{f}"
            );
        }
    }
    assert_eq!(
        countries_in("Data is stored in Germany and the United States."),
        ["DE", "US"]
    );
    assert_eq!(countries_in("Serveurs: Ireland, Finland."), ["IE", "FI"]);
}

#[test]
fn country_names_need_a_capital_and_common_words_are_not_countries() {
    assert!(countries_in("к перу и чаду").is_empty());
    assert!(countries_in("Того же числа данные удаляются.").is_empty());
    assert!(countries_in("Contact us.").is_empty());
    assert_eq!(
        countries_in("в страны Европейского союза"),
        ["AT+BE+BG+CY+CZ+DE+DK+EE+ES+FI+FR+GR+HR+HU+IE+IT+LT+LU+LV+MT+NL+PL+PT+RO+SE+SI+SK"]
    );
    // Russia is where the data should be: never a "named country".
    assert!(countries_in("Данные хранятся в России, Российской Федерации, РФ.").is_empty());
}

#[test]
fn services_by_brand_by_legal_entity_and_russian_spelling() {
    assert_eq!(
        services_in("Мы используем сервис Яндекс.Метрика."),
        [vec!["yandex-metrica"]]
    );
    assert_eq!(
        services_in("данные Яндекс.Метрики и Гугл Аналитикс"),
        [vec!["yandex-metrica"], vec!["google-analytics"]]
    );
    assert_eq!(services_in("Google Analytics"), [vec!["google-analytics"]]);
    let yandex = services_in("передаются ООО «Яндекс»");
    assert_eq!(yandex.len(), 1);
    assert!(yandex[0].contains(&"yandex-metrica") && yandex[0].contains(&"yandex-maps"));
    assert!(
        !yandex[0].contains(&"yandex-smartcaptcha"),
        "another legal entity"
    );
    let google = services_in("Google LLC (США)");
    assert!(google[0].contains(&"google-analytics") && google[0].contains(&"youtube"));
    assert_eq!(services_in("Amplitude, Inc."), [vec!["amplitude"]]);
    assert_eq!(services_in("сервис Амплитуда"), [vec!["amplitude"]]);
    let r = read("передаются ООО «Яндекс»");
    let Claim::Recipient(rec) = &r.statements[0].claim else {
        panic!()
    };
    assert_eq!(rec.company, Some("ООО «Яндекс» (Yandex LLC)"));
    assert_eq!(rec.text, "ООО «Яндекс»");
}

#[test]
fn inventory_processors_and_partners_are_recipients() {
    let inv = crate::inventory::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/inventory"
    )))
    .expect("the example inventory loads");
    let d = Dictionary::new(Some(&inv));
    let p = parse_text(
        "Данные передаются ООО «Селектел», ООО «Юнисендер Смарт» и Usedesk.",
        "p.md",
        None,
        &d,
    );
    let ents: Vec<Vec<String>> = p
        .statements
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Recipient(r) => Some(r.entities.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        ents,
        [
            vec!["selectel".to_string()],
            vec!["unisender".to_string()],
            vec!["usedesk".to_string()]
        ]
    );
}

#[test]
fn categories_and_enumerations() {
    let p = read("Данные передаются хостинг-провайдерам и платёжным системам.");
    let cats: Vec<(&str, bool)> = p
        .statements
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Category { id, enumerated, .. } => Some((*id, *enumerated)),
            _ => None,
        })
        .collect();
    assert_eq!(cats, [("hosting", false), ("payment", false)]);
    let p = read("Мы используем системы аналитики Яндекс.Метрика и Amplitude.");
    assert!(p.statements.iter().any(|s| matches!(
        s.claim,
        Claim::Category {
            id: "analytics",
            enumerated: true,
            ..
        }
    )));
    let p = read("We share data with our partners and third parties.");
    let ids: Vec<&str> = p
        .statements
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Category { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["partners", "third-parties"]);
}

#[test]
fn the_shipped_tables_are_well_formed() {
    for (name, text, cols) in [
        ("policy-recipients", RECIPIENTS, 3),
        ("policy-categories", CATEGORIES, 3),
        ("policy-countries", COUNTRIES, 3),
    ] {
        assert!(text.starts_with("# "), "{name}: a header comment");
        assert!(text.contains("Source"), "{name}: the source");
        for (line, row) in crate::reference::tsv_rows(text) {
            assert_eq!(row.len(), cols, "{name}:{line}");
        }
    }
    for (line, row) in crate::reference::tsv_rows(RECIPIENTS) {
        assert!(
            catalogue::by_id(row[1]).is_some(),
            "policy-recipients:{line}: {}",
            row[1]
        );
        assert!(
            matches!(row[2], "service" | "company"),
            "policy-recipients:{line}"
        );
    }
    assert_eq!(
        loaded().len(),
        crate::reference::tsv_rows(CATEGORIES).count(),
        "a category row is malformed"
    );
    for (line, row) in crate::reference::tsv_rows(COUNTRIES) {
        for c in row[0].split_whitespace() {
            assert!(Country::parse(c).is_some(), "policy-countries:{line}: {c}");
        }
    }
}

#[test]
fn an_html_policy_with_headings() {
    let html = "<!doctype html>\n<html><head><title>Политика</title></head><body>\n<h1>Политика обработки персональных данных</h1>\n<h2>5. Хранение</h2>\n<p>Персональные данные граждан РФ хранятся в базах данных,\nнаходящихся на территории Российской Федерации.</p>\n<h2>6. Передача третьим лицам</h2>\n<ul><li>хостинг-провайдерам;</li>\n<li>сервису Google Analytics (Google LLC, США).</li></ul>\n</body></html>\n";
    let p = parse_text(html, "p.html", None, dict());
    assert_eq!(p.format, Format::Html);
    let got: Vec<(u32, &str, Option<&str>)> = p
        .statements
        .iter()
        .map(|s| (s.line, s.claim.kind(), s.heading.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (5, "localisation", Some("5. Хранение")),
            (7, "category", Some("6. Передача третьим лицам")),
            (8, "category", Some("6. Передача третьим лицам")),
            (9, "recipient", Some("6. Передача третьим лицам")),
            (9, "recipient", Some("6. Передача третьим лицам")),
            (9, "country", Some("6. Передача третьим лицам")),
        ]
    );
}

#[test]
fn files_that_cannot_be_read_are_typed_errors() {
    let d = dict();
    let dir = std::env::temp_dir();
    let e = read_file(&dir, d).unwrap_err();
    assert!(matches!(e, PolicyError::Directory { .. }), "{e:?}");
    assert!(
        e.to_string()
            .ends_with(": is a directory, not a policy file"),
        "{e}"
    );
    let missing = dir.join("residency-no-such-policy-file.html");
    let e = read_file(&missing, d).unwrap_err();
    assert!(matches!(e, PolicyError::NotFound { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!("{}: no such policy file", missing.display())
    );
}

#[test]
fn files_that_are_not_text_are_errors() {
    let d = dict();
    let e = parse(b"PK\x03\x04rest", "p.docx", None, d).unwrap_err();
    assert!(
        matches!(&e, PolicyError::Zip { name } if name == "p.docx"),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("p.docx: a ZIP archive"), "{e}");
    let e = parse(b"%PDF-1.7", "p.pdf", None, d).unwrap_err();
    assert!(matches!(e, PolicyError::Pdf { .. }), "{e:?}");
    let e = parse(b"abc\0def", "p.bin", None, d).unwrap_err();
    assert!(matches!(e, PolicyError::NotText { offset: 3, .. }), "{e:?}");
    assert!(e.to_string().contains("a NUL byte at offset 3"), "{e}");
    let e = parse(b"line\n\xcf\xee\xeb", "p.txt", None, d).unwrap_err();
    assert!(
        matches!(
            e,
            PolicyError::NotUtf8 {
                line: 2,
                offset: 5,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "p.txt:2: not UTF-8 text (byte offset 5): save the policy as UTF-8"
    );
    assert!(
        parse(
            "\u{feff}Данные хранятся в России.".as_bytes(),
            "p.txt",
            None,
            d
        )
        .is_ok()
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any text, any format: no panic, lines within the text, every
        /// statement's sentence is text of the document.
        #[test]
        fn the_reader_never_panics(s in "(\\PC|[\\n<>#*«»._ -]|Германи[яи]|Яндекс|не|в России|хранятся){0,200}", html in any::<bool>()) {
            let fmt = if html { Format::Html } else { Format::Markdown };
            let p = parse_text(&s, "p", Some(fmt), dict());
            let lines = u32::try_from(s.lines().count().max(1)).unwrap();
            for st in &p.statements {
                prop_assert!(st.line >= 1 && st.line <= lines, "line {} of {}", st.line, lines);
                prop_assert!(!st.sentence.is_empty());
            }
        }

        #[test]
        fn arbitrary_bytes_are_an_error_or_a_policy(b in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse(&b, "p", None, dict());
        }
    }
}
