//! `copy-abroad`: a copy (replica, backup, cache, …) of Russian citizens'
//! personal data is kept outside Russia.

use crate::evaluate::context::abroad;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};
use crate::inventory::{EntityKind, Role};

pub const META: RuleMeta = RuleMeta {
    id: "copy-abroad",
    severity: Severity::Medium,
    description: "a copy of Russian citizens' personal data is kept outside Russia",
    law: "152-FZ art. 18 p. 5, art. 12",
    law_ru: "ч. 5 ст. 18, ст. 12 152-ФЗ",
    description_ru: "копия персональных данных граждан РФ хранится за пределами России",
    doc_en: include_str!("../../../docs/rules/en/copy-abroad.md"),
    doc_ru: include_str!("../../../docs/rules/ru/copy-abroad.md"),
};

fn role_ru(role: Role) -> &'static str {
    match role {
        Role::Primary => "Основная база данных",
        Role::Replica => "Реплика",
        Role::Backup => "Резервная копия",
        Role::Cache => "Кеш",
        Role::Analytics => "Аналитическая база данных",
        Role::Archive => "Архив",
        Role::Log => "Журнал",
    }
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, _) in cx.with_pd() {
        let Some(role) = e
            .role
            .filter(|r| e.kind == EntityKind::Database && *r != Role::Primary)
        else {
            continue;
        };
        let countries = abroad(loc);
        if countries.is_empty() {
            continue;
        }
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "{} database `{}` keeps Russian citizens' personal data in {}: lawful only as a notified cross-border transfer of data first recorded in Russia, and contested under the 2025 wording ({})",
                role.as_str(),
                e.id,
                list(&countries),
                META.law
            ),
            format!(
                "{} «{}» хранит персональные данные граждан РФ в {}: допустимо лишь как трансграничная передача данных, первично записанных в России, с уведомлением Роскомнадзора, и оспаривается в редакции 2025 г. ({})",
                role_ru(role),
                e.id,
                list(&countries),
                META.law_ru
            ),
            cx.evidence(loc, &countries),
        ));
    }
}
