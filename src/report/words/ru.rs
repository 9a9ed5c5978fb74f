//! Russian: every finding's message. One arm per rule; adding a rule
//! adds one arm here and one in `en.rs`.

use super::{Message, set};
use crate::evaluate::context::PdReason;
use crate::evaluate::rules::{
    filing_outdated, policy_contradicted, policy_stale, unused_declaration,
};
use crate::evaluate::{Facts, Finding};
use crate::inventory::{EntityKind, Role};
use crate::policy::Claim;
use crate::terraform::{TAG_ID, TAG_PD, UnclaimedWhy};

/// Why an entity has PD.
pub(crate) fn pd(pd: &PdReason) -> String {
    match pd {
        PdReason::Holds => "хранит персональные данные граждан РФ".into(),
        PdReason::Transfer { from } => format!("получает персональные данные от «{from}»"),
        PdReason::Operates { db } => {
            format!("обслуживает базу данных с персональными данными «{db}»")
        }
        PdReason::CollectsFromSubjects => {
            "получает персональные данные напрямую от пользователей".into()
        }
        PdReason::SiteVisitors => "получает IP-адреса посетителей сайта".into(),
    }
}

/// What a privacy-policy statement says (English: [`Claim::describe`]).
pub(crate) fn claim(c: &Claim) -> String {
    match c {
        Claim::Localisation => {
            "утверждает локализацию: данные записываются и хранятся в России".into()
        }
        Claim::NoTransfer => "утверждает, что данные не передаются за рубеж".into(),
        Claim::Transfer => "сообщает о трансграничной передаче".into(),
        Claim::Recipient(r) => format!("называет получателя «{}»", r.text),
        Claim::Country { text, countries } => {
            format!("называет страну «{text}» ({})", super::list(countries))
        }
        Claim::Category { text, id, .. } => format!("называет категорию «{text}» ({id})"),
    }
}

/// A processor or partner, as the subject of a sentence.
fn who(kind: EntityKind) -> &'static str {
    if kind == EntityKind::Processor {
        "Обработчик"
    } else {
        "Партнёр"
    }
}

/// A database of this role, as the subject of a sentence.
fn role(role: Role) -> &'static str {
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

/// The note after presumed countries.
fn presumed(yes: bool) -> &'static str {
    if yes {
        " (презюмируется по стране юридического лица: ни наблюдаемого, ни заявленного места нахождения нет)"
    } else {
        ""
    }
}

/// `2026-10-01` → `01.10.2026`.
pub(crate) fn date(iso: &str) -> String {
    let mut parts = iso.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

pub(crate) fn message(f: &Finding) -> Message {
    let law = f.rule.meta().law_ru;
    let m = Message::new();
    match &f.facts {
        Facts::PrimaryOutsideRu(x) => {
            let what = if x.database {
                format!("Основная база данных «{}»", x.entity)
            } else {
                format!(
                    "Получатель «{}», которому пользователи передают данные напрямую,",
                    x.entity
                )
            };
            if x.presumed {
                m.text(format!(
                    "{what} не имеет ни наблюдаемого, ни заявленного места нахождения, а его юридическое лицо находится в {}: презюмируется, что персональные данные граждан РФ записываются там, что запрещено с 01.07.2025 ({law}); чтобы опровергнуть презумпцию, укажите место нахождения или хосты",
                    set(&x.countries)
                ))
            } else {
                m.text(format!(
                    "{what} записывает персональные данные граждан РФ в {}: {}запрещено с 01.07.2025 ({law})",
                    set(&x.countries),
                    if x.database {
                        ""
                    } else {
                        "практикующие юристы и мониторинг Роскомнадзора рассматривают это как первичную запись за рубежом, что "
                    }
                ))
            }
        }
        Facts::CopyAbroad(x) => m.text(format!(
            "{} «{}» хранит персональные данные граждан РФ в {}: допустимо лишь как трансграничная передача данных, первично записанных в России, с уведомлением Роскомнадзора, и оспаривается в редакции 2025 г. ({law})",
            role(x.role),
            x.entity,
            set(&x.countries)
        )),
        Facts::LocationUnknown(x) => m.text(format!(
            "«{}» {}, но место нахождения установить не удалось ({}); это не считается размещением в России",
            x.entity,
            pd(&x.pd),
            x.why.join("; ")
        )),
        Facts::LocationMismatch(x) => m.text(format!(
            "для «{}» заявлено место нахождения {}, фактически — {}: уведомление по ст. 22 152-ФЗ должно указывать действительное место нахождения баз данных",
            x.entity,
            x.declared,
            set(&x.observed)
        )),
        Facts::UndeclaredThirdParty(x) => m.text(format!(
            "{} «{}» {}, но не указан в declarations.third_parties: назовите получателя в политике обработки ПДн и в уведомлении по ст. 22 ({law})",
            who(x.kind),
            x.entity,
            pd(&x.pd),
        )),
        Facts::UndeclaredCrossBorder(x) => m.text(format!(
            "персональные данные попадают в {}{} через «{}», но declarations.cross_border_countries {} не называет: Роскомнадзор нужно уведомить до начала передачи ({law}, с 01.03.2023)",
            set(&x.countries),
            presumed(x.presumed),
            x.entity,
            if x.countries.len() == 1 {
                "это государство"
            } else {
                "эти государства"
            }
        )),
        Facts::NonAdequateCountry(x) => {
            let one = x.countries.len() == 1;
            let unnamed = match x.unnamed.len() {
                0 => String::new(),
                1 => format!(
                    " ({}: в перечне отдельно не названа территория, она считается не включённой в него)",
                    set(&x.unnamed)
                ),
                _ => format!(
                    " ({}: в перечне отдельно не названы эти территории, они считаются не включёнными в него)",
                    set(&x.unnamed)
                ),
            };
            m.text(format!(
                "персональные данные попадают в {}{} через «{}», а {} в перечень иностранных государств, обеспечивающих адекватную защиту, не {} ({}{}){unnamed}: передача возможна лишь после истечения 10 рабочих дней, отведённых Роскомнадзору на рассмотрение уведомления ({law})",
                set(&x.countries),
                presumed(x.presumed),
                x.entity,
                if one { "это государство" } else { "эти государства" },
                if one { "включено" } else { "включены" },
                super::dated(&x.list.list_ru, &x.list.date),
                if x.list.confirmed.is_empty() {
                    String::new()
                } else {
                    format!(", действие подтверждено {}", date(&x.list.confirmed))
                }
            ))
        }
        Facts::ForeignRecipient(x) => m.text(format!(
            "«{}» {}: это иностранное юридическое лицо ({}), известные серверы которого находятся только в России; трансграничной передачи нет, но доступ из-за рубежа был бы ею ({law}): подтвердите, что данные обрабатываются только в России",
            x.entity,
            pd(&x.pd),
            x.legal
        )),
        Facts::BannedRecipient(x) => m.text(format!(
            "«{}» {}; получатель — {}: {}; {} ({law})",
            x.entity,
            pd(&x.pd),
            x.org.name_ru(),
            x.org.decision_ru,
            x.org.ground_ru
        )),
        Facts::ProcessorWithoutInstruction(x) => m
            .text(format!("Обработчик «{}» {}, но ", x.entity, pd(&x.pd)))
            .code("instruction")
            .text(format!(
                " не указано: обработка по поручению оператора требует поручения оператора на обработку ПДн, оформленного договором, с содержанием по {law}"
            )),
        Facts::UnusedDeclaration(x) => match &**x {
            unused_declaration::Facts::ThirdParty(id) => m.text(format!(
            "третье лицо «{id}» указано в declarations.third_parties, но ни одна передача и ни одна сущность его не используют: держите сведения в уведомлении точными"
        )),
            unused_declaration::Facts::Country(c) => m.text(format!(
            "{c} указана в cross_border_countries, но персональные данные туда не попадают: держите уведомление по ст. 12 точным"
        )),
        },
        Facts::UnlistedThirdParty(x) => {
            let who = match x.service {
                Some((name, legal, country)) => format!("{name} ({legal}, {country})"),
                None => format!("{} (нет в каталоге)", x.id),
            };
            let at = match x.line {
                Some(l) => format!("{} line {l}", x.page),
                None => x.page.clone(),
            };
            m.text(format!(
                "{who} получает {} посетителей сайта: загружается на {at} элементом {}, но ни один обработчик или партнёр инвентаризации не имеет его хостов ({}); добавьте его (",
                x.receives.describe_ru(),
                x.element,
                x.hosts.join(", "),
            ))
            .code("--suggest")
            .text(format!(
                " выводит готовую запись), укажите в политике обработки ПДн и уведомлениях или уберите с сайта ({law})"
            ))
        }
        Facts::UnscannedPage(x) => m.text(format!(
            "страница {} прочитана не полностью: {}; что она загружает, неизвестно, поэтому сайт не может пройти проверку",
            x.url, x.problem
        )),
        Facts::UnlistedStorage(x) => {
            let where_ = if x.places.is_empty() {
                "место неизвестно".to_string()
            } else {
                format!("в {}", super::en::places(&x.places))
            };
            let m = m.text(format!(
                "в плане Terraform есть {} «{}» ({where_}), которое ",
                x.kind, x.address
            ));
            let m = match &x.why {
                UnclaimedWhy::PersonalData => m.text(format!(
                    "помечено {TAG_PD} = true, но ни одна сущность инвентаризации его не указывает"
                )),
                UnclaimedWhy::UnknownId { id, hint } => {
                    let m = m.text(format!(
                        "помечено {TAG_ID} = {id}, но в инвентаризации нет сущности «{id}»"
                    ));
                    match hint {
                        Some(h) => m.text(" (did you mean ").code(h).text("?)"),
                        None => m,
                    }
                }
            };
            m.text(": добавьте его в инвентаризацию (")
                .code(format!("terraform: [{}]", x.address))
                .text(format!(
                    " у его сущности или метка {TAG_ID} = <id сущности>), чтобы правила локализации и трансграничной передачи могли его оценить, и укажите его место нахождения в уведомлении по ст. 22 ({law})"
                ))
        }
        Facts::UnclassifiedStorage(x) => {
            let where_ = match (x.places.is_empty(), x.unknown) {
                (true, _) => "место неизвестно".to_string(),
                (false, false) => format!("в {}", super::en::places(&x.places)),
                (false, true) => format!("в {}, частично неизвестно", super::en::places(&x.places)),
            };
            m.text(format!(
                "в плане Terraform есть {} «{}» ({where_}), которое не указано ни у одной сущности инвентаризации: определите, хранятся ли в нём персональные данные. Если да — добавьте его в инвентаризацию (",
                x.kind, x.address
            ))
            .code(format!("terraform: [{}]", x.address))
            .text(format!(
                " у его сущности или метка {TAG_ID} = <id сущности>), чтобы правила локализации и трансграничной передачи могли его оценить ({law}); если нет — поставьте тег или метку {TAG_PD} = false"
            ))
        }
        Facts::PolicyContradicted(x) => m.text(format!(
            "политика обработки ПДн утверждает, что {} ({}:{}), но «{}» {} в {}: исправьте политику или перенесите данные ({law})",
            match x.promise {
                policy_contradicted::Promise::NoTransfer => "персональные данные не передаются за рубеж",
                policy_contradicted::Promise::Localisation => {
                    "персональные данные граждан РФ записываются и хранятся в базах данных на территории России"
                }
            },
            x.source,
            x.line,
            x.entity,
            pd(&x.pd),
            set(&x.countries)
        )),
        Facts::PolicyOmitsRecipient(x) => m.text(format!(
            "{} «{}» {}, но политика обработки ПДн ({}) не называет ни его, ни категорию получателей, к которой он относится: назовите его ({law})",
            who(x.kind),
            x.entity,
            pd(&x.pd),
            x.place
        )),
        Facts::PolicyOmitsCountry(x) => m.text(format!(
            "персональные данные попадают в {} через «{}», но политика обработки ПДн ({}) эту страну не называет ({}) ({law})",
            set(&x.countries),
            x.entity,
            x.sources,
            if x.named.is_empty() {
                "других стран она тоже не называет".to_string()
            } else {
                format!("названы: {}", set(&x.named))
            }
        )),
        Facts::PolicyStale(x) => {
            let what = match &x.named {
                policy_stale::Named::Recipient(t) => format!("называет «{t}»"),
                policy_stale::Named::Country(t, cs) => format!(
                    "называет страну «{t}» ({})",
                    super::list(cs)
                ),
            };
            m.text(format!(
                "политика обработки ПДн {what} ({}:{}), но аудит этого не находит: внесите в инвентаризацию, если используется, иначе обновите политику ({law})",
                x.source, x.line
            ))
        }
        Facts::FilingOutdated(x) => {
            let refs = |v: &[filing_outdated::FiledRef]| filing_outdated::FiledRef::list(v, true);
            let mut m = if x.database {
                m.text(format!(
                    "база данных «{}» с персональными данными граждан РФ находится в {}, но ",
                    x.entity,
                    set(&x.countries)
                ))
            } else {
                m.text(format!(
                    "персональные данные попадают в {} через «{}», но ",
                    set(&x.countries),
                    x.entity
                ))
            };
            if !x.new_states.is_empty() || !x.new_recipients.is_empty() {
                let mut what = Vec::new();
                if !x.new_states.is_empty() {
                    what.push(format!("государство {}", set(&x.new_states)));
                }
                for r in &x.new_recipients {
                    what.push(format!("получателя «{r}»"));
                }
                m = m
                    .text(format!(
                        "поданные уведомления о трансграничной передаче ({}) не называют {}: уведомление подаётся до начала передачи (ч. 3, 4 ст. 12 152-ФЗ; черновик: ",
                        refs(&x.cross_border),
                        what.join(" и ")
                    ))
                    .code("residency notify --kind cross-border")
                    .text(")");
                if !x.new_database_countries.is_empty() {
                    m = m.text("; кроме того, ");
                }
            }
            if !x.new_database_countries.is_empty() {
                m = m
                    .text(format!(
                        "поданные уведомления по ст. 22 ({}) указывают в качестве места нахождения баз данных только {}: нужно уведомление об изменении сведений (п. 10.1 ч. 3, ч. 7 ст. 22 152-ФЗ; черновик: ",
                        refs(&x.art22),
                        if x.filed_database_countries.is_empty() { "—".to_string() } else { set(&x.filed_database_countries) }
                    ))
                    .code("residency notify --kind change")
                    .text(")");
            }
            m
        }
        Facts::WaiverExpired(x) => m
            .text("срок записи о принятом риске по правилу ")
            .code(&x.rule)
            .text(format!(
                " для «{}» истёк {} (утвердил: {}; обоснование: {}): покрытые ею замечания снова учитываются; устраните их или продлите запись с новым утверждением и сроком",
                x.entity,
                date(&x.expires),
                x.approved_by,
                x.reason
            )),
        Facts::WaiverUnused(x) => {
            let countries = if x.countries.is_empty() {
                String::new()
            } else {
                format!(" в {}", super::list(&x.countries))
            };
            m.text("запись о принятом риске по правилу ")
                .code(&x.rule)
                .text(format!(
                    " для «{}»{countries} не покрывает ни одного замечания: проблема устранена либо в записи указано не то правило или объект; удалите её, чтобы она не скрыла будущее замечание",
                    x.entity
                ))
        }
    }
}
