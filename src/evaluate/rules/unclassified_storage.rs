//! `unclassified-storage`: a Terraform plan or state has storage outside
//! Russia, or of unknown place, that no inventory entity claims and that
//! nobody has marked as holding no personal data.

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::reference::Country;
use crate::terraform::{Action, TAG_ID, TAG_PD};

pub const META: RuleMeta = RuleMeta {
    id: "unclassified-storage",
    severity: Severity::Medium,
    description: "a Terraform plan has storage abroad or of unknown place that is neither in the inventory nor tagged as holding no personal data",
    law: "152-FZ art. 18 p. 5, art. 12",
    law_ru: "ч. 5 ст. 18, ст. 12 152-ФЗ",
    description_ru: "в плане Terraform есть хранилище за рубежом или в неизвестном месте, которого нет в инвентаризации и которое не помечено как не содержащее персональных данных",
    doc_en: include_str!("../../../docs/rules/en/unclassified-storage.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unclassified-storage.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(tf) = &cx.resolved.terraform else {
        return;
    };
    let mut unlisted = vec![false; tf.resources.len()];
    for u in &tf.unclaimed {
        unlisted[u.resource] = true;
    }
    for (i, r) in tf.resources.iter().enumerate() {
        let Some(storage) = r.storage else {
            continue;
        };
        if r.action == Action::Delete
            || !tf.owners[i].is_empty()
            || r.personal_data == Some(false)
            || unlisted[i]
        {
            continue;
        }
        let countries = r.countries();
        let abroad: Vec<Country> = countries.iter().copied().filter(|c| !c.is_ru()).collect();
        let unknown = r.places.is_empty() || !r.unknown.is_empty();
        if abroad.is_empty() && !unknown {
            continue;
        }
        let placed: Vec<String> = r
            .places
            .iter()
            .map(|p| format!("{} {}/{}", p.country, p.cloud, p.region))
            .collect();
        let (where_en, where_ru) = match (placed.is_empty(), r.unknown.is_empty()) {
            (true, _) => (
                "location unknown".to_string(),
                "место неизвестно".to_string(),
            ),
            (false, true) => (
                format!("in {}", placed.join(", ")),
                format!("в {}", placed.join(", ")),
            ),
            (false, false) => (
                format!("in {}, and partly unknown", placed.join(", ")),
                format!("в {}, частично неизвестно", placed.join(", ")),
            ),
        };
        let mut evidence: Vec<String> = r
            .places
            .iter()
            .map(|p| {
                format!(
                    "{} ({}) -> {}/{} -> {}",
                    r.address, p.via, p.cloud, p.region, p.country
                )
            })
            .collect();
        evidence.extend(r.unknown.iter().map(|u| format!("{}: {u}", r.address)));
        evidence.push(format!(
            "{} at {}: no inventory entity claims it, no {TAG_PD} tag or label",
            r.address, r.loc
        ));
        out.push(Finding {
            rule: META.id,
            severity: META.severity,
            entity: r.address.clone(),
            countries: abroad,
            message: format!(
                "the Terraform plan has {} `{}` ({where_en}) that no inventory entity claims: decide whether it holds personal data. If it does, add it to the inventory (`terraform: [{}]` on its entity, or tag it {TAG_ID} = <entity id>) so that the localisation and cross-border rules judge it ({}); if it does not, tag or label it {TAG_PD} = false",
                storage.kind, r.address, r.address, META.law
            ),
            message_ru: format!(
                "в плане Terraform есть {} «{}» ({where_ru}), которое не указано ни у одной сущности инвентаризации: определите, хранятся ли в нём персональные данные. Если да — добавьте его в инвентаризацию (`terraform: [{}]` у его сущности или метка {TAG_ID} = <id сущности>), чтобы правила локализации и трансграничной передачи могли его оценить ({}); если нет — поставьте тег или метку {TAG_PD} = false",
                storage.kind, r.address, r.address, META.law_ru
            ),
            evidence,
            location: r.loc.clone(),
        });
    }
}
