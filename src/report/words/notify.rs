//! The words of the notification drafts (`residency notify`) in English
//! and Russian: the fixed texts side by side in [`EN`] and [`RU`] (through
//! [`Lang::notify`]), and one function per sentence with arguments. The
//! Russian texts follow the form's field names.

use crate::inventory::filings::date_ru;
use crate::report::Lang;

/// The fixed words of the notification drafts (`residency notify`): field
/// labels, section headings and notes.
pub(crate) struct NotifyText {
    pub operator_name: &'static str,
    pub operator_inn: &'static str,
    pub operator_ogrn: &'static str,
    pub operator_address: &'static str,
    pub fill_art22_date_number: &'static str,
    pub fill_art22_number: &'static str,
    pub fill_responsible_name: &'static str,
    pub fill_responsible_phones: &'static str,
    pub fill_responsible_postal_address: &'static str,
    pub fill_responsible_email: &'static str,
    pub legal_basis: &'static str,
    pub fill_purposes: &'static str,
    pub fill_data_categories: &'static str,
    pub fill_data_subjects: &'static str,
    pub fill_database_addresses: &'static str,
    pub fill_art22_refers_to: &'static str,
    pub none_recorded: &'static str,
    pub inn: &'static str,
    pub ogrn: &'static str,
    pub art22_date_number: &'static str,
    pub name: &'static str,
    pub phones: &'static str,
    pub postal_address: &'static str,
    pub email: &'static str,
    pub state: &'static str,
    pub on_adequacy_list: &'static str,
    pub recipient: &'static str,
    pub recipient_jurisdiction: &'static str,
    pub data_transferred: &'static str,
    pub purposes: &'static str,
    pub already_filed_notifications: &'static str,
    pub presumed: &'static str,
    pub purposes_general: &'static str,
    pub draft_warning: &'static str,
    pub title_cross_border: &'static str,
    pub law_cross_border: &'static str,
    pub title_processing: &'static str,
    pub law_processing: &'static str,
    pub title_change: &'static str,
    pub law_change: &'static str,
    pub sec_operator: &'static str,
    pub cb_sec2_responsible: &'static str,
    pub cb_sec3_basis_purpose: &'static str,
    pub cb_sec4_data: &'static str,
    pub categories: &'static str,
    pub list_inventory_tokens: &'static str,
    pub cb_sec5_subjects: &'static str,
    pub categories_subjects: &'static str,
    pub cb_sec6_states: &'static str,
    pub no_transfer_note: &'static str,
    pub cb_sec7_assessment: &'static str,
    pub date_assessment: &'static str,
    pub pr_sec1_operator: &'static str,
    pub pr_sec2_purposes: &'static str,
    pub processing_purposes: &'static str,
    pub categories_data: &'static str,
    pub list_data_inventory_tokens: &'static str,
    pub pr_sec3_responsible: &'static str,
    pub pr_sec4_cross_border: &'static str,
    pub cross_border_transfer: &'static str,
    pub takes_place: &'static str,
    pub does_not_take_place: &'static str,
    pub states_as_observed: &'static str,
    pub art12_on_record: &'static str,
    pub pr_third_parties: &'static str,
    pub third_parties_note: &'static str,
    pub party: &'static str,
    pub role: &'static str,
    pub jurisdiction: &'static str,
    pub ch_sec2_databases: &'static str,
    pub stated_filed_notifications: &'static str,
    pub observed_now: &'static str,
    pub new_countries: &'static str,
    pub databases_in_unfiled_countries: &'static str,
    pub countries_no_longer_used: &'static str,
    pub ch_sec3_cross_border: &'static str,
    pub states_filed_art12: &'static str,
    pub new_states: &'static str,
    pub states_no_longer_reached: &'static str,
    pub new_recipients: &'static str,
    pub recipients_no_longer_reached: &'static str,
    pub ch_sec4_new: &'static str,
    pub cross_border_separate_note: &'static str,
    pub to_fill_heading: &'static str,
    pub fill_word: &'static str,
    pub evidence_what_audit_observed: &'static str,
    pub databases_heading: &'static str,
    pub not_fully_placed: &'static str,
    pub database: &'static str,
    pub country: &'static str,
    pub address: &'static str,
    pub art18_note: &'static str,
    pub field: &'static str,
    pub value: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
}

pub(crate) static EN: NotifyText = NotifyText {
    operator_name: "Operator's name",
    operator_inn: "Operator's INN",
    operator_ogrn: "Operator's OGRN",
    operator_address: "Operator's address",
    fill_art22_date_number: "Date and number of the art. 22 notification",
    fill_art22_number: "Number of the art. 22 notification",
    fill_responsible_name: "Name of the person responsible for organising the processing",
    fill_responsible_phones: "Responsible person's phones",
    fill_responsible_postal_address: "Responsible person's postal address",
    fill_responsible_email: "Responsible person's e-mail",
    legal_basis: "Legal basis",
    fill_purposes: "Purposes",
    fill_data_categories: "Categories of personal data",
    fill_data_subjects: "Categories of data subjects",
    fill_database_addresses: "Addresses of the databases (art. 22 p. 3 point 10.1: country and address)",
    fill_art22_refers_to: "The art. 22 notification the change refers to",
    none_recorded: "none recorded",
    inn: "INN",
    ogrn: "OGRN",
    art22_date_number: "Date and number of the notification of the intention to process personal data (art. 22)",
    name: "Name",
    phones: "Phones",
    postal_address: "Postal address",
    email: "E-mail",
    state: "State",
    on_adequacy_list: "On the adequacy list",
    recipient: "Recipient",
    recipient_jurisdiction: "Recipient's jurisdiction",
    data_transferred: "Data transferred",
    purposes: "Purposes",
    already_filed_notifications: "Already in filed notifications",
    presumed: "presumed: the recipient's legal country, no territory established",
    purposes_general: "the operator's purposes in general: narrow them down",
    draft_warning: "DRAFT — not filed with Roskomnadzor. Check every field and fill in the missing ones before filing on pd.rkn.gov.ru.",
    title_cross_border: "Notification of the intention to transfer personal data across the border",
    law_cross_border: "Basis: 152-FZ art. 12 p. 3, 4. Filed through the form on pd.rkn.gov.ru (cross-border-transmission) before the transfer starts, separately from the art. 22 notification. The fields below follow the list of art. 12 p. 4; the order approving the form was not identified (unverified).",
    title_processing: "Notification of the intention to process personal data — the information the audit fills",
    law_processing: "Basis: 152-FZ art. 22 p. 1, 3; form approved by Roskomnadzor Order No. 180 of 28.10.2022. Only the operator, the cross-border statement (point 10) and the database location (point 10.1) are here; the actions and methods, security measures, start and end dates and the other points of the form are filled on the portal.",
    title_change: "Notification of a change in the information of the notification of the intention to process personal data",
    law_change: "Basis: 152-FZ art. 22 p. 7; form approved by Roskomnadzor Order No. 180 of 28.10.2022. The changes are against the notifications recorded in the inventory's `filings:`.",
    sec_operator: "1. The operator",
    cb_sec2_responsible: "2. The person responsible for organising the processing of personal data",
    cb_sec3_basis_purpose: "3. Legal basis and purpose of the transfer and of the further processing of the data transferred",
    cb_sec4_data: "4. Categories and list of the personal data transferred",
    categories: "Categories",
    list_inventory_tokens: "List (the inventory's tokens)",
    cb_sec5_subjects: "5. Categories of the data subjects whose data is transferred",
    categories_subjects: "Categories of subjects",
    cb_sec6_states: "6. The foreign states to whose territory the transfer is intended",
    no_transfer_note: "The audit observed no cross-border transfer: no notification is needed.",
    cb_sec7_assessment: "7. The date of the assessment of the recipients' confidentiality and security of processing",
    date_assessment: "Date of the assessment",
    pr_sec1_operator: "1. The operator (art. 22 p. 3 point 1)",
    pr_sec2_purposes: "2. Purposes, categories of data and subjects, legal basis (art. 22 p. 3.1)",
    processing_purposes: "Purposes",
    categories_data: "Categories of data",
    list_data_inventory_tokens: "List of data (the inventory's tokens)",
    pr_sec3_responsible: "3. The person responsible for organising the processing (art. 22 p. 3 point 7.1)",
    pr_sec4_cross_border: "4. Whether personal data is transferred across the border (art. 22 p. 3 point 10)",
    cross_border_transfer: "Cross-border transfer",
    takes_place: "takes place",
    does_not_take_place: "does not take place",
    states_as_observed: "States (as observed)",
    art12_on_record: "Art. 12 notifications on record",
    pr_third_parties: "For reference: third parties receiving personal data (processors and partners)",
    third_parties_note: "Art. 22 p. 3 has no point of its own for third parties; the list is for checking purposes, instructions (art. 6 p. 3) and the policy.",
    party: "Party",
    role: "Role",
    jurisdiction: "Jurisdiction",
    ch_sec2_databases: "2. Location of the databases (art. 22 p. 3 point 10.1): changes",
    stated_filed_notifications: "Stated in the filed notifications",
    observed_now: "Observed now",
    new_countries: "New countries",
    databases_in_unfiled_countries: "Databases in countries the filed notifications do not state",
    countries_no_longer_used: "Countries no longer used",
    ch_sec3_cross_border: "3. Cross-border transfer (art. 22 p. 3 point 10; art. 12 notifications): changes",
    states_filed_art12: "States in the filed art. 12 notifications",
    new_states: "New states",
    states_no_longer_reached: "States no longer reached",
    new_recipients: "New recipients",
    recipients_no_longer_reached: "Recipients no longer reached",
    ch_sec4_new: "4. New states and recipients need an art. 12 notification",
    cross_border_separate_note: "The cross-border notification is separate and comes before the transfer: `residency notify --kind cross-border`.",
    to_fill_heading: "To fill before filing",
    fill_word: "to fill before filing",
    evidence_what_audit_observed: "Evidence: what the audit observed",
    databases_heading: "Location of the databases holding personal data of citizens of the Russian Federation (art. 22 p. 3 point 10.1)",
    not_fully_placed: "; not fully placed",
    database: "Database",
    country: "Country",
    address: "Address",
    art18_note: "Under 152-FZ art. 18 p. 5 (as worded since 2025-07-01), when personal data is collected, recording, systematising, accumulating, storing, updating and retrieving Russian citizens' personal data in databases outside Russia is not allowed. Whether copies abroad after recording in Russia are lawful is contested (rules primary-outside-ru and copy-abroad). A notification alone does not cure a breach.",
    field: "Field",
    value: "Value",
    yes: "yes",
    no: "no",
};

pub(crate) static RU: NotifyText = NotifyText {
    operator_name: "Наименование оператора",
    operator_inn: "ИНН оператора",
    operator_ogrn: "ОГРН оператора",
    operator_address: "Адрес оператора",
    fill_art22_date_number: "Дата и номер уведомления о намерении осуществлять обработку персональных данных",
    fill_art22_number: "Номер уведомления о намерении осуществлять обработку персональных данных",
    fill_responsible_name: "Фамилия, имя, отчество лица, ответственного за организацию обработки персональных данных",
    fill_responsible_phones: "Номера контактных телефонов ответственного",
    fill_responsible_postal_address: "Почтовый адрес ответственного",
    fill_responsible_email: "Адрес электронной почты ответственного",
    legal_basis: "Правовое основание",
    fill_purposes: "Цели обработки (передачи)",
    fill_data_categories: "Категории персональных данных",
    fill_data_subjects: "Категории субъектов персональных данных",
    fill_database_addresses: "Адреса баз данных (п. 10.1 ч. 3 ст. 22: страна и адрес)",
    fill_art22_refers_to: "Поданное уведомление по ст. 22, к которому относятся изменения",
    none_recorded: "не записаны",
    inn: "ИНН",
    ogrn: "ОГРН",
    art22_date_number: "Дата и номер уведомления о намерении осуществлять обработку персональных данных",
    name: "Фамилия, имя, отчество",
    phones: "Номера контактных телефонов",
    postal_address: "Почтовый адрес",
    email: "Адрес электронной почты",
    state: "Государство",
    on_adequacy_list: "В перечне государств с адекватной защитой",
    recipient: "Получатель",
    recipient_jurisdiction: "Юрисдикция получателя",
    data_transferred: "Передаваемые данные",
    purposes: "Цели",
    already_filed_notifications: "Уже в поданных уведомлениях",
    presumed: "презумпция: страна юридического лица получателя, размещение не установлено",
    purposes_general: "цели оператора в целом: уточните",
    draft_warning: "ЧЕРНОВИК — не подан в Роскомнадзор. Проверьте каждое поле и заполните недостающие перед подачей на pd.rkn.gov.ru.",
    title_cross_border: "Уведомление о намерении осуществлять трансграничную передачу персональных данных",
    law_cross_border: "Основание: ч. 3, 4 ст. 12 Федерального закона № 152-ФЗ «О персональных данных». Подаётся через форму на pd.rkn.gov.ru (раздел cross-border-transmission) до начала передачи, отдельно от уведомления по ст. 22. Поля ниже — в порядке ч. 4 ст. 12; приказ, утверждающий форму, не установлен (не проверено).",
    title_processing: "Уведомление о намерении осуществлять обработку персональных данных — сведения, которые заполняет аудит",
    law_processing: "Основание: ч. 1, 3 ст. 22 Федерального закона № 152-ФЗ; форма утверждена приказом Роскомнадзора от 28.10.2022 № 180. Здесь только сведения об операторе, наличии трансграничной передачи (п. 10) и месте нахождения баз данных (п. 10.1); перечень действий и способы обработки, меры защиты, даты начала и окончания обработки и остальные пункты формы заполняются на портале.",
    title_change: "Уведомление об изменении сведений, содержащихся в уведомлении о намерении осуществлять обработку персональных данных",
    law_change: "Основание: ч. 7 ст. 22 Федерального закона № 152-ФЗ; форма утверждена приказом Роскомнадзора от 28.10.2022 № 180. Изменения определены по сравнению с уведомлениями, записанными в разделе `filings:` инвентаря.",
    sec_operator: "1. Сведения об операторе",
    cb_sec2_responsible: "2. Лицо, ответственное за организацию обработки персональных данных",
    cb_sec3_basis_purpose: "3. Правовое основание и цель трансграничной передачи персональных данных и дальнейшей обработки переданных персональных данных",
    cb_sec4_data: "4. Категории и перечень передаваемых персональных данных",
    categories: "Категории",
    list_inventory_tokens: "Перечень (обозначения из инвентаря)",
    cb_sec5_subjects: "5. Категории субъектов персональных данных, персональные данные которых передаются",
    categories_subjects: "Категории субъектов",
    cb_sec6_states: "6. Перечень иностранных государств, на территорию которых планируется трансграничная передача персональных данных",
    no_transfer_note: "Аудит не наблюдал трансграничной передачи: уведомление не требуется.",
    cb_sec7_assessment: "7. Дата проведения оценки соблюдения иностранными получателями конфиденциальности персональных данных и обеспечения безопасности персональных данных при их обработке",
    date_assessment: "Дата оценки",
    pr_sec1_operator: "1. Сведения об операторе (п. 1 ч. 3 ст. 22)",
    pr_sec2_purposes: "2. Цели обработки, категории персональных данных и субъектов, правовое основание (ч. 3.1 ст. 22)",
    processing_purposes: "Цели обработки",
    categories_data: "Категории персональных данных",
    list_data_inventory_tokens: "Перечень персональных данных (обозначения из инвентаря)",
    pr_sec3_responsible: "3. Лицо, ответственное за организацию обработки персональных данных (п. 7.1 ч. 3 ст. 22)",
    pr_sec4_cross_border: "4. Сведения о наличии или об отсутствии трансграничной передачи персональных данных (п. 10 ч. 3 ст. 22)",
    cross_border_transfer: "Трансграничная передача",
    takes_place: "осуществляется",
    does_not_take_place: "не осуществляется",
    states_as_observed: "Государства (по наблюдениям аудита)",
    art12_on_record: "Уведомления по ст. 12 в инвентаре",
    pr_third_parties: "Справочно: третьи лица, получающие персональные данные (обработчики и партнёры)",
    third_parties_note: "Отдельного пункта о третьих лицах в ч. 3 ст. 22 нет; список — для сверки целей, поручений (ч. 3 ст. 6) и политики оператора.",
    party: "Лицо",
    role: "Роль",
    jurisdiction: "Юрисдикция",
    ch_sec2_databases: "2. Место нахождения баз данных (п. 10.1 ч. 3 ст. 22): изменения",
    stated_filed_notifications: "Указано в поданных уведомлениях",
    observed_now: "Фактически (по наблюдениям аудита)",
    new_countries: "Новые страны",
    databases_in_unfiled_countries: "Базы данных в странах, не указанных в поданных уведомлениях",
    countries_no_longer_used: "Страны, где баз данных больше нет",
    ch_sec3_cross_border: "3. Трансграничная передача (п. 10 ч. 3 ст. 22; уведомления по ст. 12): изменения",
    states_filed_art12: "Государства в поданных уведомлениях по ст. 12",
    new_states: "Новые государства",
    states_no_longer_reached: "Государства, куда передачи больше нет",
    new_recipients: "Новые получатели",
    recipients_no_longer_reached: "Получатели, которым передачи больше нет",
    ch_sec4_new: "4. Новые государства и получатели требуют уведомления по ст. 12",
    cross_border_separate_note: "Уведомление о трансграничной передаче подаётся отдельно и до начала передачи: `residency notify --kind cross-border`.",
    to_fill_heading: "Заполнить перед подачей",
    fill_word: "заполнить перед подачей",
    evidence_what_audit_observed: "Основание: наблюдения аудита",
    databases_heading: "Сведения о месте нахождения базы данных информации, содержащей персональные данные граждан Российской Федерации (п. 10.1 ч. 3 ст. 22)",
    not_fully_placed: "; размещение установлено не полностью",
    database: "База данных",
    country: "Страна",
    address: "Адрес",
    art18_note: "По ч. 5 ст. 18 152-ФЗ (в редакции, действующей с 01.07.2025) при сборе персональных данных запись, систематизация, накопление, хранение, уточнение и извлечение персональных данных граждан РФ с использованием баз данных, находящихся за пределами территории РФ, не допускаются. Допустимость копий за рубежом после записи в России оспаривается (правила primary-outside-ru и copy-abroad). Само уведомление нарушение не устраняет.",
    field: "Поле",
    value: "Значение",
    yes: "да",
    no: "нет",
};

/// A date of the inventory (YYYY-MM-DD) as the draft writes it: "5 марта
/// 2026 г." in Russian, as given in English.
pub(crate) fn day(lang: Lang, iso: &str) -> String {
    match lang {
        Lang::En => iso.to_string(),
        Lang::Ru => crate::util::parse_day(iso).map_or(iso.to_string(), date_ru),
    }
}

/// A filing on record: "No. 12 of 2026-03-05", "of 2026-03-05 (number
/// not recorded)".
pub(crate) fn filing_on_record(lang: Lang, number: Option<&str>, iso: &str) -> String {
    let date = day(lang, iso);
    match (lang, number) {
        (Lang::En, Some(n)) => format!("No. {n} of {date}"),
        (Lang::En, None) => format!("of {date} (number not recorded)"),
        (Lang::Ru, Some(n)) => format!("№ {n} от {date}"),
        (Lang::Ru, None) => format!("от {date} (номер не записан)"),
    }
}

/// The art. 22 notification a draft refers to: "No. 12 of 2026-03-05",
/// "of 2026-03-05, number: to fill".
pub(crate) fn art22_reference(lang: Lang, number: Option<&str>, iso: &str) -> String {
    let date = day(lang, iso);
    match (lang, number) {
        (Lang::En, Some(n)) => format!("No. {n} of {date}"),
        (Lang::En, None) => format!("of {date}, number: to fill"),
        (Lang::Ru, Some(n)) => format!("№ {n} от {date}"),
        (Lang::Ru, None) => format!("от {date}, номер: заполнить"),
    }
}

/// To fill: who operates a database abroad whose recipient the inventory
/// does not name.
pub(crate) fn fill_recipient(lang: Lang, who: &str, country: &str, name: &str) -> String {
    match lang {
        Lang::En => {
            format!("Recipient of `{who}` in {country} ({name}): who operates the database")
        }
        Lang::Ru => format!(
            "Получатель данных базы «{who}» в {country} ({name}): лицо, эксплуатирующее базу данных"
        ),
    }
}

/// To fill: the day a recipient was assessed.
pub(crate) fn fill_assessed(lang: Lang, who: &str) -> String {
    match lang {
        Lang::En => format!("Date the recipient `{who}` was assessed (art. 12 p. 4, 5)"),
        Lang::Ru => format!("Дата оценки получателя «{who}» (ч. 4, 5 ст. 12)"),
    }
}

/// To fill: the personal data sent to a recipient.
pub(crate) fn fill_data_sent(lang: Lang, who: &str, country: &str) -> String {
    match lang {
        Lang::En => format!("Personal data sent to `{who}` in {country}"),
        Lang::Ru => format!("Перечень данных, передаваемых «{who}» в {country}"),
    }
}

/// To confirm: the information on a non-adequate state's law was obtained.
pub(crate) fn fill_foreign_law(lang: Lang, country: &str, name: &str) -> String {
    match lang {
        Lang::En => format!(
            "Confirm that the information on the personal-data law of {country} ({name}) was obtained (art. 12 p. 5 point 2)"
        ),
        Lang::Ru => format!(
            "Подтвердить получение сведений о правовом регулировании в области персональных данных в {country} ({name}) (п. 2 ч. 5 ст. 12)"
        ),
    }
}

/// To fill: the country of a database the audit could not place.
pub(crate) fn fill_database_country(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("Country of the database `{id}`: the audit could not place it"),
        Lang::Ru => {
            format!("Страна базы данных «{id}»: место нахождения не установлено аудитом")
        }
    }
}

/// A recipient the inventory does not name, by the databases it runs.
pub(crate) fn recipient_not_named(lang: Lang, via: &str) -> String {
    match lang {
        Lang::En => format!("not named (database `{via}`)"),
        Lang::Ru => format!("не указан (база данных «{via}»)"),
    }
}

/// The draft's provenance line.
pub(crate) fn prepared_by(lang: Lang, version: &str, target: &str, generated_at: &str) -> String {
    match lang {
        Lang::En => format!(
            "Prepared by residency {version} from the audit of {target} ({generated_at}). Every line about a transfer or a database rests on an observation of the audit (section \"Evidence\")."
        ),
        Lang::Ru => format!(
            "Подготовлено residency {version} по результатам аудита {target} ({generated_at}). Каждая строка о передаче и о базах данных опирается на наблюдение аудита (раздел «Основание»)."
        ),
    }
}

/// The states not on the adequacy list and what that means before filing.
pub(crate) fn not_adequate_note(lang: Lang, states: &str) -> String {
    match lang {
        Lang::En => format!(
            "Not on the list of states ensuring adequate protection (Roskomnadzor Order No. 128 of 05.08.2022): {states}. Before filing, obtain the information on their personal-data law (art. 12 p. 5 point 2); no transfer to them before 10 working days after filing, save the exceptions of art. 12 p. 11."
        ),
        Lang::Ru => format!(
            "Не включены в перечень иностранных государств, обеспечивающих адекватную защиту прав субъектов персональных данных (приказ Роскомнадзора от 05.08.2022 № 128): {states}. До подачи получите сведения о правовом регулировании в этих государствах (п. 2 ч. 5 ст. 12); до истечения 10 рабочих дней после подачи уведомления передача в эти государства не допускается, за исключениями, указанными в ч. 11 ст. 12."
        ),
    }
}

/// A third party's role: the entity kind in English, its legal standing in
/// Russian.
pub(crate) fn party_role(lang: Lang, kind: &'static str) -> &'static str {
    match (lang, kind) {
        (Lang::En, k) => k,
        (Lang::Ru, "processor") => "обработчик (по поручению оператора)",
        (Lang::Ru, _) => "партнёр (третье лицо)",
    }
}
