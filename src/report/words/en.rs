//! English: every finding's message. One arm per rule; adding a rule
//! adds one arm here and one in `ru.rs`.

use super::{Message, set};
use crate::evaluate::context::PdReason;
use crate::evaluate::rules::{
    filing_outdated, policy_contradicted, policy_stale, unlisted_storage, unused_declaration,
};
use crate::evaluate::{Facts, Finding};
use crate::terraform::{TAG_ID, TAG_PD, UnclaimedWhy};

/// Why an entity has PD, as a phrase with its ids as code.
fn pd(m: Message, pd: &PdReason) -> Message {
    match pd {
        PdReason::Holds => m.text("holds personal data of Russian citizens"),
        PdReason::Transfer { from } => m.text("receives personal data from ").code(from),
        PdReason::Operates { db } => m.text("operates the personal-data database ").code(db),
        PdReason::CollectsFromSubjects => m.text("collects personal data directly from users"),
        PdReason::SiteVisitors => m.text("receives the IP addresses of the web site's visitors"),
    }
}

pub(crate) fn message(f: &Finding) -> Message {
    let law = f.rule.meta().law;
    let m = Message::new();
    match &f.facts {
        Facts::PrimaryOutsideRu(x) => {
            let m = if x.database {
                m.text("primary database ").code(&x.entity)
            } else {
                m.code(&x.entity)
                    .text(", which collects personal data directly from users,")
            };
            if x.presumed {
                m.text(format!(
                    " has no observed or declared location, and its legal entity is in {}: its records of Russian citizens' personal data are presumed to be there, which is prohibited since 2025-07-01 ({law}); declare its location or hosts to rebut",
                    set(&x.countries)
                ))
            } else {
                m.text(format!(
                    " records Russian citizens' personal data in {}: {}prohibited since 2025-07-01 ({law})",
                    set(&x.countries),
                    if x.database {
                        ""
                    } else {
                        "a first recording abroad as practitioners and Roskomnadzor's monitoring treat it, "
                    }
                ))
            }
        }
        Facts::CopyAbroad(x) => m
            .text(format!("{} database ", x.role.as_str()))
            .code(&x.entity)
            .text(format!(
                " keeps Russian citizens' personal data in {}: lawful only as a notified cross-border transfer of data first recorded in Russia, and contested under the 2025 wording ({law})",
                set(&x.countries)
            )),
        Facts::LocationUnknown(x) => pd(m.code(&x.entity).text(" "), &x.pd).text(format!(
            ", but where it is cannot be established ({}); it is not assumed to be in Russia",
            x.why.join("; ")
        )),
        Facts::LocationMismatch(x) => m.code(&x.entity).text(format!(
            " is declared in {} but observed in {}; the art. 22 notification must state where databases really are",
            x.declared,
            set(&x.observed)
        )),
        Facts::UndeclaredThirdParty(x) => pd(
            m.text(format!("{} ", x.kind.as_str())).code(&x.entity).text(" "),
            &x.pd,
        )
        .text(format!(
            " but is not in declarations.third_parties: name it in the privacy policy and the art. 22 notification ({law})"
        )),
        Facts::UndeclaredCrossBorder(x) => m
            .text(format!(
                "personal data reaches {}{} through ",
                set(&x.countries),
                presumed(x.presumed)
            ))
            .code(&x.entity)
            .text(format!(
                ", but declarations.cross_border_countries does not name it: Roskomnadzor must be notified before the transfer starts ({law}, since 2023-03-01)"
            )),
        Facts::NonAdequateCountry(x) => {
            let unnamed = if x.unnamed.is_empty() {
                String::new()
            } else {
                format!(
                    " ({}: not named separately in the list, treated as not listed)",
                    set(&x.unnamed)
                )
            };
            m.text(format!(
                "personal data reaches {}{} through ",
                set(&x.countries),
                presumed(x.presumed)
            ))
            .code(&x.entity)
            .text(format!(
                ", and {} not on the list of states ensuring adequate protection ({}{}){unnamed}: transfers may start only after Roskomnadzor's 10-working-day review ({law})",
                if x.countries.len() == 1 {
                    "that state is"
                } else {
                    "those states are"
                },
                super::dated(&x.list.list, &x.list.date),
                if x.list.confirmed.is_empty() {
                    String::new()
                } else {
                    format!(", last confirmed {}", x.list.confirmed)
                }
            ))
        }
        Facts::ForeignRecipient(x) => pd(m.code(&x.entity).text(" "), &x.pd).text(format!(
            ": a foreign legal entity ({}) whose known servers are in Russia only; that is no cross-border transfer, but access from abroad would be one ({law}): confirm that the data is processed in Russia only",
            x.legal
        )),
        Facts::BannedRecipient(x) => pd(m.code(&x.entity).text(" "), &x.pd).text(format!(
            ", and it goes to {}: {}; {} ({law})",
            x.org.legal_name, x.org.decision, x.org.ground
        )),
        Facts::ProcessorWithoutInstruction(x) => pd(
            m.text("processor ").code(&x.entity).text(" "),
            &x.pd,
        )
        .text(" but has no ")
        .code("instruction")
        .text(format!(
            ": processing on the operator's behalf needs the operator's instruction, given by contract, with the content required by {law}"
        )),
        Facts::UnusedDeclaration(x) => match &**x {
            unused_declaration::Facts::ThirdParty(id) => m.code(id).text(
            " is declared as a third party, but no transfer or entity uses it: keep declarations accurate",
        ),
            unused_declaration::Facts::Country(c) => m.text(format!(
            "{c} is declared in cross_border_countries, but no personal data reaches it: keep the art. 12 notification accurate"
        )),
        },
        Facts::UnlistedThirdParty(x) => {
            let who = match x.service {
                Some((name, legal, country)) => format!("{name} ({legal}, {country})"),
                None => format!("{} (not in the catalogue)", x.id),
            };
            let at = match x.line {
                Some(l) => format!("{} line {l}", x.page),
                None => x.page.clone(),
            };
            m.text(format!(
                "{who} receives {} from the site's visitors: loaded at {at} by {}, but no processor or partner of the inventory has its hosts ({}); add it (",
                x.receives.describe(),
                x.element,
                x.hosts.join(", "),
            ))
            .code("--suggest")
            .text(format!(
                " prints the entry), name it in the privacy policy and notifications, or remove it from the site ({law})"
            ))
        }
        Facts::UnscannedPage(x) => m.text(format!(
            "page {} was not read in full: {}; what it loads is unknown, so the site cannot pass on it",
            x.url, x.problem
        )),
        Facts::UnlistedStorage(x) => {
            let where_ = if x.places.is_empty() {
                "location unknown".to_string()
            } else {
                format!("in {}", places(&x.places))
            };
            let m = m
                .text(format!("the Terraform plan has {} ", x.kind))
                .code(&x.address)
                .text(format!(" ({where_}) that "));
            let m = match &x.why {
                UnclaimedWhy::PersonalData => m.text(format!(
                    "is tagged {TAG_PD} = true, but no inventory entity lists it"
                )),
                UnclaimedWhy::UnknownId { id, hint } => {
                    let m = m
                        .text(format!("is tagged {TAG_ID} = {id}, but the inventory has no entity "))
                        .code(id);
                    match hint {
                        Some(h) => m.text(" (did you mean ").code(h).text("?)"),
                        None => m,
                    }
                }
            };
            m.text(": add it to the inventory (")
                .code(format!("terraform: [{}]", x.address))
                .text(format!(
                    " on its entity, or tag it {TAG_ID} = <entity id>) so that the localisation and cross-border rules judge it, and state where it is in the art. 22 notification ({law})"
                ))
        }
        Facts::UnclassifiedStorage(x) => {
            let where_ = match (x.places.is_empty(), x.unknown) {
                (true, _) => "location unknown".to_string(),
                (false, false) => format!("in {}", places(&x.places)),
                (false, true) => format!("in {}, and partly unknown", places(&x.places)),
            };
            m.text(format!("the Terraform plan has {} ", x.kind))
                .code(&x.address)
                .text(format!(
                    " ({where_}) that no inventory entity claims: decide whether it holds personal data. If it does, add it to the inventory ("
                ))
                .code(format!("terraform: [{}]", x.address))
                .text(format!(
                    " on its entity, or tag it {TAG_ID} = <entity id>) so that the localisation and cross-border rules judge it ({law}); if it does not, tag or label it {TAG_PD} = false"
                ))
        }
        Facts::PolicyContradicted(x) => {
            let said = match x.promise {
                policy_contradicted::Promise::NoTransfer => "personal data is not transferred abroad",
                policy_contradicted::Promise::Localisation => {
                    "Russian citizens' personal data is recorded and stored in databases in Russia"
                }
            };
            pd(
                m.text(format!(
                    "the privacy policy says {said} ({}:{}), but ",
                    x.source, x.line
                ))
                .code(&x.entity)
                .text(" "),
                &x.pd,
            )
            .text(format!(
                " in {}: correct the policy or move the data ({law})",
                set(&x.countries)
            ))
        }
        Facts::PolicyOmitsRecipient(x) => pd(
            m.text(format!("{} ", x.kind.as_str())).code(&x.entity).text(" "),
            &x.pd,
        )
        .text(format!(
            ", but the privacy policy ({}) neither names it nor a category of recipients that covers it: name it ({law})",
            x.place
        )),
        Facts::PolicyOmitsCountry(x) => m
            .text(format!("personal data reaches {} through ", set(&x.countries)))
            .code(&x.entity)
            .text(format!(
                ", but the privacy policy ({}) does not name it ({}) ({law})",
                x.sources,
                if x.named.is_empty() {
                    "it names no country".to_string()
                } else {
                    format!("it names: {}", set(&x.named))
                }
            )),
        Facts::PolicyStale(x) => {
            let what = match &x.named {
                policy_stale::Named::Recipient(t) => format!("names «{t}»"),
                policy_stale::Named::Country(t, cs) => format!(
                    "names the country «{t}» ({})",
                    super::list(cs)
                ),
            };
            m.text(format!(
                "the privacy policy {what} ({}:{}), but the audit does not find it: add it to the inventory if it is used, else update the policy ({law})",
                x.source, x.line
            ))
        }
        Facts::FilingOutdated(x) => {
            let refs = |v: &[filing_outdated::FiledRef]| filing_outdated::FiledRef::list(v, false);
            let m = if x.database {
                m.text("database ").code(&x.entity).text(format!(
                    " with Russian citizens' personal data is in {}, but ",
                    set(&x.countries)
                ))
            } else {
                m.text(format!("personal data reaches {} through ", set(&x.countries)))
                    .code(&x.entity)
                    .text(", but ")
            };
            let mut m = m;
            if !x.new_states.is_empty() || !x.new_recipients.is_empty() {
                let mut what = Vec::new();
                if !x.new_states.is_empty() {
                    what.push(format!("the state {}", set(&x.new_states)));
                }
                m = m.text(format!(
                    "the cross-border notifications on record ({}) do not name {}",
                    refs(&x.cross_border),
                    what.join("")
                ));
                for (i, r) in x.new_recipients.iter().enumerate() {
                    m = m
                        .text(if i == 0 && x.new_states.is_empty() {
                            "the recipient "
                        } else {
                            " or the recipient "
                        })
                        .code(r);
                }
                m = m
                    .text(": file a notification before the transfer (152-FZ art. 12 p. 3, 4; draft: ")
                    .code("residency notify --kind cross-border")
                    .text(")");
                if !x.new_database_countries.is_empty() {
                    m = m.text("; and ");
                }
            }
            if !x.new_database_countries.is_empty() {
                m = m
                    .text(format!(
                        "the art. 22 notifications on record ({}) state databases in {} only: file a change notification (152-FZ art. 22 p. 3 point 10.1, p. 7; draft: ",
                        refs(&x.art22),
                        if x.filed_database_countries.is_empty() { "—".to_string() } else { set(&x.filed_database_countries) }
                    ))
                    .code("residency notify --kind change")
                    .text(")");
            }
            m
        }
        Facts::WaiverExpired(x) => m
            .text("the waiver of ")
            .code(&x.rule)
            .text(" for ")
            .code(&x.entity)
            .text(format!(
                " expired on {} (approved by {}: {}): the findings it covered count again; fix them, or renew the waiver with a new approval and expiry date",
                x.expires, x.approved_by, x.reason
            )),
        Facts::WaiverUnused(x) => {
            let countries = if x.countries.is_empty() {
                String::new()
            } else {
                format!(" in {}", super::list(&x.countries))
            };
            m.text("the waiver of ")
                .code(&x.rule)
                .text(" for ")
                .code(&x.entity)
                .text(format!(
                    "{countries} covers no finding: the problem is fixed, or the waiver names the wrong rule or entity; remove it so that it cannot hide a future finding"
                ))
        }
    }
}

/// The note after presumed countries.
fn presumed(yes: bool) -> &'static str {
    if yes {
        " (presumed from its legal entity's country: it has no observed or declared location)"
    } else {
        ""
    }
}

/// `DE aws/eu-central-1, …`: where planned resources are.
pub(super) fn places(p: &[unlisted_storage::Placed]) -> String {
    p.iter()
        .map(|p| format!("{} {}/{}", p.country, p.cloud, p.region))
        .collect::<Vec<_>>()
        .join(", ")
}
