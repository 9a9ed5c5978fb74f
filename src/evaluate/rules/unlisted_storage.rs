//! `unlisted-storage`: a Terraform plan has personal-data storage that no
//! inventory entity claims, so no other rule can judge where it is.

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::terraform::{TAG_ID, TAG_PD, UnclaimedWhy};

pub const META: RuleMeta = RuleMeta {
    id: "unlisted-storage",
    severity: Severity::High,
    description: "a Terraform plan has personal-data storage that the inventory does not list",
    law: "152-FZ art. 18 p. 5, art. 22 p. 3 point 10.1",
    law_ru: "ч. 5 ст. 18, п. 10.1 ч. 3 ст. 22 152-ФЗ",
    description_ru: "в плане Terraform есть хранилище персональных данных, которого нет в инвентаризации",
    doc_en: include_str!("../../../docs/rules/en/unlisted-storage.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unlisted-storage.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(tf) = &cx.resolved.terraform else {
        return;
    };
    for u in &tf.unclaimed {
        let r = &tf.resources[u.resource];
        let kind = r.storage.map_or("resource", |s| s.kind);
        let countries = r.countries();
        let placed: Vec<String> = r
            .places
            .iter()
            .map(|p| format!("{} {}/{}", p.country, p.cloud, p.region))
            .collect();
        let (where_en, where_ru) = if placed.is_empty() {
            (
                "location unknown".to_string(),
                "место неизвестно".to_string(),
            )
        } else {
            (
                format!("in {}", placed.join(", ")),
                format!("в {}", placed.join(", ")),
            )
        };
        let (why_en, why_ru, tag) = match &u.why {
            UnclaimedWhy::PersonalData => (
                format!("is tagged {TAG_PD} = true, but no inventory entity lists it"),
                format!(
                    "помечено {TAG_PD} = true, но ни одна сущность инвентаризации его не указывает"
                ),
                format!("{} tag {TAG_PD} = true at {}", r.address, r.loc),
            ),
            UnclaimedWhy::UnknownId { id, hint } => {
                let hint = hint
                    .as_ref()
                    .map(|h| format!(" (did you mean `{h}`?)"))
                    .unwrap_or_default();
                (
                    format!(
                        "is tagged {TAG_ID} = {id}, but the inventory has no entity `{id}`{hint}"
                    ),
                    format!(
                        "помечено {TAG_ID} = {id}, но в инвентаризации нет сущности «{id}»{hint}"
                    ),
                    format!("{} tag {TAG_ID} = {id} at {}", r.address, r.loc),
                )
            }
        };
        let mut evidence = vec![tag];
        evidence.extend(r.places.iter().map(|p| {
            format!(
                "{} ({}) -> {}/{} -> {} (terraform:{})",
                r.address, p.via, p.cloud, p.region, p.country, r.address
            )
        }));
        evidence.extend(r.unknown.iter().map(|u| format!("{}: {u}", r.address)));
        out.push(Finding {
            rule: META.id,
            recipient_country: None,
            severity: META.severity,
            entity: r.address.clone(),
            countries,
            message: format!(
                "the Terraform plan has {kind} `{}` ({where_en}) that {why_en}: add it to the inventory (`terraform: [{}]` on its entity, or tag it {TAG_ID} = <entity id>) so that the localisation and cross-border rules judge it, and state where it is in the art. 22 notification ({})",
                r.address, r.address, META.law
            ),
            message_ru: format!(
                "в плане Terraform есть {kind} «{}» ({where_ru}), которое {why_ru}: добавьте его в инвентаризацию (`terraform: [{}]` у его сущности или метка {TAG_ID} = <id сущности>), чтобы правила локализации и трансграничной передачи могли его оценить, и укажите его место нахождения в уведомлении по ст. 22 ({})",
                r.address, r.address, META.law_ru
            ),
            evidence,
            location: r.loc.clone(),
        });
    }
}
