//! `primary-outside-ru`: the first recording of Russian citizens' personal
//! data happens outside Russia. Judged on territory; a collecting party
//! with no territory at all is presumed to be in its legal entity's country.

use crate::evaluate::context::PdReason;
use crate::evaluate::territory;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};
use crate::inventory::{EntityKind, Role};

pub const META: RuleMeta = RuleMeta {
    id: "primary-outside-ru",
    severity: Severity::Critical,
    description: "personal data of Russian citizens is first recorded outside Russia",
    law: "152-FZ art. 18 p. 5",
    law_ru: "ч. 5 ст. 18 152-ФЗ",
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
        if !first_recording {
            continue;
        }
        let judged = territory::judged(e, loc);
        let countries = judged.abroad;
        if countries.is_empty() {
            continue;
        }
        let (what, what_ru) = match e.kind {
            EntityKind::Database => (
                format!("primary database `{}`", e.id),
                format!("Основная база данных «{}»", e.id),
            ),
            _ => (
                format!(
                    "`{}`, which collects personal data directly from users,",
                    e.id
                ),
                format!(
                    "Получатель «{}», которому пользователи передают данные напрямую,",
                    e.id
                ),
            ),
        };
        let (message, message_ru, evidence) = match &judged.presumed {
            Some(p) => (
                format!(
                    "{what} has no observed or declared location, and its legal entity is in {}: its records of Russian citizens' personal data are presumed to be there, which is prohibited since 2025-07-01 ({}); declare its location or hosts to rebut",
                    list(&countries),
                    META.law
                ),
                format!(
                    "{what_ru} не имеет ни наблюдаемого, ни заявленного места нахождения, а его юридическое лицо находится в {}: презюмируется, что персональные данные граждан РФ записываются там, что запрещено с 01.07.2025 ({}); чтобы опровергнуть презумпцию, укажите место нахождения или хосты",
                    list(&countries),
                    META.law_ru
                ),
                vec![p.evidence()],
            ),
            None => (
                format!(
                    "{what} records Russian citizens' personal data in {}: {}prohibited since 2025-07-01 ({})",
                    list(&countries),
                    if e.kind == EntityKind::Database {
                        ""
                    } else {
                        "a first recording abroad as practitioners and Roskomnadzor's monitoring treat it, "
                    },
                    META.law
                ),
                format!(
                    "{what_ru} записывает персональные данные граждан РФ в {}: {}запрещено с 01.07.2025 ({})",
                    list(&countries),
                    if e.kind == EntityKind::Database {
                        ""
                    } else {
                        "практикующие юристы и мониторинг Роскомнадзора рассматривают это как первичную запись за рубежом, что "
                    },
                    META.law_ru
                ),
                cx.evidence(loc, &countries),
            ),
        };
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            message,
            message_ru,
            evidence,
        ));
    }
}
