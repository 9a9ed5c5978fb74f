//! `primary-outside-ru`: the first recording of Russian citizens' personal
//! data happens outside Russia.

use crate::evaluate::context::{PdReason, abroad};
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};
use crate::inventory::{EntityKind, Role};

pub const META: RuleMeta = RuleMeta {
    id: "primary-outside-ru",
    severity: Severity::Critical,
    description: "personal data of Russian citizens is first recorded outside Russia",
    law: "152-FZ art. 18 p. 5",
    law_ru: "152-ФЗ ст. 18 ч. 5",
    description_ru: "персональные данные граждан РФ первично записываются за пределами России",
    doc_en: include_str!("../../../docs/rules/en/primary-outside-ru.md"),
    doc_ru: include_str!("../../../docs/rules/ru/primary-outside-ru.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        let first_recording = match e.kind {
            EntityKind::Database => e.role == Some(Role::Primary),
            _ => *pd == PdReason::CollectsFromSubjects,
        };
        let countries = abroad(loc);
        if !first_recording || countries.is_empty() {
            continue;
        }
        let what_ru = match e.kind {
            EntityKind::Database => format!("Основная база данных «{}»", e.id),
            _ => format!("«{}», получающий данные напрямую от пользователей,", e.id),
        };
        let what = match e.kind {
            EntityKind::Database => format!("primary database `{}`", e.id),
            _ => format!(
                "`{}`, which collects personal data directly from users,",
                e.id
            ),
        };
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "{what} records Russian citizens' personal data in {}: prohibited since 2025-07-01 ({})",
                list(&countries),
                META.law
            ),
            format!(
                "{what_ru} записывает персональные данные граждан РФ в {}: запрещено с 01.07.2025 ({})",
                list(&countries),
                META.law_ru
            ),
            cx.evidence(loc, &countries),
        ));
    }
}
