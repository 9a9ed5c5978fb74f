//! Validation: the `Raw*` forms of every file → the model, with the
//! cross-checks between files (unique ids, references, transfers,
//! declarations, waivers).

use super::load::Loader;
use super::*;

impl Loader {
    pub(super) fn finish(
        mut self,
        files: Vec<PathBuf>,
        opts: &LoadOptions<'_>,
    ) -> Result<Inventory, Vec<Diagnostic>> {
        let mut v = Validator {
            diags: std::mem::take(&mut self.diags),
        };
        let details = self
            .organization
            .as_mut()
            .map(|(o, loc)| (filings::RawDetails::take(o), loc.clone()));
        let organization = self.organization.take().and_then(|(o, loc)| {
            let country = v.country(&loc, &o.country)?;
            Some(Organization {
                name: redact(&o.name),
                country,
                loc,
            })
        });
        let networks = std::mem::take(&mut self.networks)
            .into_iter()
            .filter_map(|(n, loc)| v.network(n, loc))
            .collect();
        // Databases, then processors, then partners (each validated as it
        // was read).
        let mut entities = std::mem::take(&mut self.databases);
        entities.reserve_exact(self.processors.len() + self.partners.len());
        entities.append(&mut self.processors);
        entities.append(&mut self.partners);
        v.unique_ids(&entities);
        v.terraform_claimed_once(&entities);
        let kinds: HashMap<&str, EntityKind> =
            entities.iter().map(|e| (e.id.as_str(), e.kind())).collect();
        let ids: Vec<&str> = kinds.keys().copied().collect();
        v.operators_are_processors(&entities, &kinds, &ids);
        let transfers = std::mem::take(&mut self.transfers)
            .into_iter()
            .filter_map(|(t, loc)| v.transfer(t, loc, &kinds, &ids))
            .collect();
        let declarations = match self.declarations.take() {
            Some((d, loc)) => v.declarations(d, &loc, &kinds, &ids),
            None => Declarations::default(),
        };
        let (filings, problems) =
            filings::validate(details, std::mem::take(&mut self.filings), &kinds);
        v.diags.extend(problems);
        let waivers = std::mem::take(&mut self.waivers)
            .into_iter()
            .filter_map(|(w, loc)| v.waiver(w, loc, opts, &kinds, &ids))
            .collect();
        let waivers = v.waivers_once(waivers);
        if v.diags.is_empty() {
            let mut inv = Inventory::new(
                files,
                organization,
                declarations,
                networks,
                entities,
                transfers,
            );
            inv.waivers = waivers;
            inv.filings = filings;
            Ok(inv)
        } else {
            v.diags.sort();
            v.diags.dedup();
            Err(v.diags)
        }
    }
}

pub(super) struct Validator {
    pub(super) diags: Vec<Diagnostic>,
}

impl Validator {
    /// Entity ids are unique across the whole inventory.
    fn unique_ids(&mut self, entities: &[Entity]) {
        let mut seen: HashMap<&str, &Loc> = HashMap::with_capacity(entities.len());
        for e in entities {
            if let Some(first) = seen.insert(&e.id, &e.loc) {
                let msg = format!("duplicate id `{}`: already used at {first}", e.id);
                self.at_first(&e.loc, msg, first);
            }
        }
    }

    /// A Terraform address belongs to one entity, and is listed once.
    fn terraform_claimed_once(&mut self, entities: &[Entity]) {
        let mut claimed: HashMap<String, (&str, &Loc)> = HashMap::new();
        for e in entities {
            for c in &e.terraform {
                let key = c.address.to_string();
                match claimed.get(&key) {
                    Some((other, first)) if *other != e.id => {
                        let msg = format!(
                            "Terraform address `{key}` is already claimed by `{other}` at {first}"
                        );
                        self.at_first(&c.loc, msg, first);
                    }
                    Some((_, first)) => {
                        let msg =
                            format!("Terraform address `{key}` is listed twice (first at {first})");
                        self.at_first(&c.loc, msg, first);
                    }
                    None => {
                        claimed.insert(key, (&e.id, &c.loc));
                    }
                }
            }
        }
    }

    /// `operated_by` names a processor.
    fn operators_are_processors(
        &mut self,
        entities: &[Entity],
        kinds: &HashMap<&str, EntityKind>,
        ids: &[&str],
    ) {
        for e in entities {
            let Some(op) = e.operated_by() else { continue };
            match kinds.get(op) {
                Some(EntityKind::Processor) => {}
                Some(k) => self.at(
                    &e.loc,
                    format!(
                        "`operated_by: {op}` names a {}, not a processor",
                        k.as_str()
                    ),
                    None,
                ),
                None => {
                    let hint = self.suggest(op, ids);
                    self.at(&e.loc, format!("`operated_by: {op}` names no entity"), hint)
                }
            }
        }
    }

    /// A transfer between two entities of the inventory.
    fn transfer(
        &mut self,
        t: RawTransfer,
        loc: Loc,
        kinds: &HashMap<&str, EntityKind>,
        ids: &[&str],
    ) -> Option<Transfer> {
        let mut ok = true;
        for end in [&t.from, &t.to] {
            if !kinds.contains_key(end.value.0.as_str()) {
                let l = self.loc_of(&loc, end.pos);
                let hint = self.suggest(&end.value.0, ids);
                self.at(
                    &l,
                    format!("transfer names no entity `{}`", end.value.0),
                    hint,
                );
                ok = false;
            }
        }
        ok.then_some(Transfer {
            from: t.from.value.0,
            to: t.to.value.0,
            categories: t.categories,
            purpose: t.purpose.map(|p| redact(&p)),
            loc,
        })
    }

    /// What the operator declared: third parties of the inventory, and
    /// countries.
    fn declarations(
        &mut self,
        d: raw::RawDeclarations,
        loc: &Loc,
        kinds: &HashMap<&str, EntityKind>,
        ids: &[&str],
    ) -> Declarations {
        let mut declarations = Declarations::default();
        for tp in d.third_parties {
            let l = self.loc_of(loc, tp.pos);
            match kinds.get(tp.value.0.as_str()) {
                Some(EntityKind::Processor | EntityKind::Partner) => {
                    declarations.third_parties.push((tp.value.0, l))
                }
                Some(EntityKind::Database) => self.at(
                    &l,
                    format!(
                        "declared third party `{}` is a database, not a processor or partner",
                        tp.value.0
                    ),
                    None,
                ),
                None => {
                    let hint = self.suggest(&tp.value.0, ids);
                    self.at(
                        &l,
                        format!(
                            "declared third party `{}` names no processor or partner",
                            tp.value.0
                        ),
                        hint,
                    )
                }
            }
        }
        for c in d.cross_border_countries {
            let l = self.loc_of(loc, c.pos);
            if let Some(country) = self.country(loc, &c) {
                declarations.cross_border_countries.push((country, l));
            }
        }
        declarations
    }

    /// One waiver per rule, target and countries (a hash of each, so a
    /// long list costs linear time).
    fn waivers_once(&mut self, waivers: Vec<Waiver>) -> Vec<Waiver> {
        let mut first: HashMap<(&str, &str, &[Country]), usize> =
            HashMap::with_capacity(waivers.len());
        let mut keep = vec![true; waivers.len()];
        for (i, w) in waivers.iter().enumerate() {
            let key = (w.rule.as_str(), w.target.as_str(), w.countries.as_slice());
            if let Some(&j) = first.get(&key) {
                let f = &waivers[j];
                let msg = format!(
                    "duplicate waiver: `{}` on `{}` is already waived at {}",
                    w.rule,
                    w.target.as_str(),
                    f.loc
                );
                self.at_first(&w.loc, msg, &f.loc);
                keep[i] = false;
            } else {
                first.insert(key, i);
            }
        }
        drop(first);
        let mut keep = keep.into_iter();
        let mut waivers = waivers;
        waivers.retain(|_| keep.next().unwrap_or(true));
        waivers
    }

    fn at(&mut self, loc: &Loc, message: impl Into<String>, hint: Option<String>) {
        self.diags.push(Diagnostic::at(loc, message, hint));
    }

    /// A problem at `loc` with the earlier place `first` it collides with.
    fn at_first(&mut self, loc: &Loc, message: String, first: &Loc) {
        self.diags
            .push(Diagnostic::at(loc, message, None).with_related(
                first.file.to_string(),
                first.pos(),
                "first used here",
            ));
    }

    fn loc_of(&self, base: &Loc, pos: Pos) -> Loc {
        Loc {
            file: base.file.clone(),
            line: pos.line,
            column: pos.column,
        }
    }

    fn suggest(&self, word: &str, ids: &[&str]) -> Option<String> {
        crate::reference::closest(word, ids.iter().copied()).map(|s| format!("did you mean `{s}`?"))
    }

    fn country(&mut self, base: &Loc, c: &Sp<raw::CountryCode>) -> Option<Country> {
        let parsed = Country::parse(&c.value.0);
        if parsed.is_none() {
            let l = self.loc_of(base, c.pos);
            self.at(
                &l,
                format!("`{}` is not an ISO 3166-1 alpha-2 country code", c.value.0),
                country::hint(&c.value.0),
            );
        }
        parsed
    }

    fn id(&mut self, base: &Loc, id: &Sp<raw::EntityId>) -> Option<String> {
        let s = &id.value.0;
        let valid = s
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if valid {
            Some(s.clone())
        } else {
            let l = self.loc_of(base, id.pos);
            let fixed = s.to_lowercase().replace(' ', "-");
            self.at(&l, format!("invalid id `{s}`: use lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit"), Some(format!("for example `{fixed}`")));
            None
        }
    }

    fn network(&mut self, n: raw::RawNetwork, loc: Loc) -> Option<Network> {
        let net = match n.cidr.value.trim().parse::<ipnet::IpNet>() {
            Ok(net) => Some(net.trunc()),
            Err(_) => {
                let l = self.loc_of(&loc, n.cidr.pos);
                let hint = n.cidr.value.parse::<std::net::IpAddr>().ok().map(|ip| {
                    let len = if ip.is_ipv4() { 32 } else { 128 };
                    format!("a single address is written `{ip}/{len}`")
                });
                self.at(
                    &l,
                    format!(
                        "`{}` is not a CIDR network (e.g. 10.10.0.0/16)",
                        n.cidr.value
                    ),
                    hint,
                );
                None
            }
        };
        let country = self.country(&loc, &n.country);
        Some(Network {
            net: net?,
            country: country?,
            site: n.site,
            loc,
        })
    }

    fn hosts(&mut self, base: &Loc, hosts: Vec<Sp<String>>) -> Vec<HostEntry> {
        let mut out = Vec::with_capacity(hosts.len());
        for h in hosts {
            let l = self.loc_of(base, h.pos);
            match endpoint::parse(&h.value) {
                Ok(eps) => out.extend(eps.into_iter().map(|endpoint| HostEntry {
                    endpoint,
                    loc: l.clone(),
                    seen: Seen::Declared,
                })),
                Err(msg) => self.at(&l, format!("invalid host: {msg}"), None),
            }
        }
        out
    }

    fn location(&mut self, base: &Loc, loc: Option<Sp<RawLocation>>) -> Option<DeclaredLocation> {
        let loc = loc?;
        let here = self.loc_of(base, loc.pos);
        let RawLocation {
            country,
            cloud,
            region,
        } = loc.value;
        match (country, cloud, region) {
            (Some(c), None, None) => self.country(base, &c).map(DeclaredLocation::Country),
            (None, Some(cloud), Some(region)) => match cloud::lookup(&cloud.value, &region.value) {
                Ok(r) => Some(DeclaredLocation::Cloud {
                    provider: r.provider,
                    region: r.region,
                    country: r.country,
                    source: r.source,
                }),
                Err(cloud::LookupError::UnknownProvider { hint }) => {
                    let l = self.loc_of(base, cloud.pos);
                    let hint = hint.map(|h| format!("did you mean `{h}`?")).or_else(|| {
                        Some(format!(
                            "known providers: {}",
                            cloud::providers().collect::<Vec<_>>().join(", ")
                        ))
                    });
                    self.at(
                        &l,
                        format!("unknown cloud provider `{}`", cloud.value),
                        hint,
                    );
                    None
                }
                Err(cloud::LookupError::UnknownRegion { provider, hint }) => {
                    let l = self.loc_of(base, region.pos);
                    let hint = hint.map(|h| format!("did you mean `{h}`?"));
                    self.at(
                        &l,
                        format!("unknown region `{}` for cloud `{provider}`", region.value),
                        hint,
                    );
                    None
                }
            },
            (None, Some(_), None) => {
                self.at(&here, "`location.cloud` needs a `region`", None);
                None
            }
            (None, None, Some(_)) => {
                self.at(&here, "`location.region` needs a `cloud`", None);
                None
            }
            (None, None, None) => {
                self.at(
                    &here,
                    "`location` needs `country`, or `cloud` and `region`",
                    None,
                );
                None
            }
            (Some(_), _, _) => {
                self.at(
                    &here,
                    "`location` takes either `country` or `cloud` + `region`, not both",
                    None,
                );
                None
            }
        }
    }

    fn terraform(&mut self, base: &Loc, list: Vec<Sp<String>>) -> Vec<TfClaim> {
        let mut out = Vec::new();
        for a in list {
            let l = self.loc_of(base, a.pos);
            match tfaddr::parse(&a.value) {
                Ok(address) if address.resource.as_ref().is_some_and(|r| r.data) => self.at(
                    &l,
                    format!("`{}` is a data source, not a resource Terraform manages", a.value),
                    None,
                ),
                Ok(address) => out.push(TfClaim { address, loc: l }),
                Err(msg) => self.at(
                    &l,
                    if a.value.trim().is_empty() {
                        "empty Terraform address".to_string()
                    } else {
                        format!("invalid Terraform address `{}`: {msg}", a.value)
                    },
                    Some("write it as `terraform state list` prints it, e.g. aws_db_instance.accounts or module.logs.aws_s3_bucket.main".into()),
                ),
            }
        }
        out
    }

    fn waiver(
        &mut self,
        w: RawWaiver,
        loc: Loc,
        opts: &LoadOptions<'_>,
        kinds: &HashMap<&str, EntityKind>,
        ids: &[&str],
    ) -> Option<Waiver> {
        let mut ok = true;
        let rule = w.rule.value.trim().to_string();
        let rule_loc = self.loc_of(&loc, w.rule.pos);
        let known = opts.rules.iter().find(|r| r.id == rule);
        if known.is_some_and(|r| !r.waivable) {
            self.at(
                &rule_loc,
                format!("`{rule}` cannot be waived: renew or remove the waiver it reports"),
                None,
            );
            ok = false;
        } else if !opts.rules.is_empty() && known.is_none() {
            let hint = crate::reference::closest(&rule, opts.rules.iter().map(|r| r.id))
                .map(|r| format!("did you mean `{r}`?"))
                .unwrap_or_else(|| "`residency rules` lists the rule ids".into());
            self.at(
                &rule_loc,
                format!("unknown rule `{rule}` in a waiver"),
                Some(hint),
            );
            ok = false;
        }
        let entity = w.entity.value.trim();
        let entity_loc = self.loc_of(&loc, w.entity.pos);
        // Without the rules (a command that does not evaluate), an entity
        // that is no entity id but a Terraform address is taken as one.
        let kind = match known {
            Some(r) => r.target,
            None if !kinds.contains_key(entity) && tfaddr::parse(entity).is_ok() => {
                WaiverTargetKind::Resource
            }
            None => WaiverTargetKind::Entity,
        };
        let target = if entity == "*" {
            Some(WaiverTarget::All)
        } else if kind == WaiverTargetKind::Resource {
            match tfaddr::parse(entity) {
                Ok(a) => Some(WaiverTarget::Resource(a.to_string(), a)),
                Err(msg) => {
                    self.at(
                        &entity_loc,
                        format!("an {rule} waiver names a Terraform resource address; `{entity}` is not one: {msg}"),
                        None,
                    );
                    None
                }
            }
        } else if (kind == WaiverTargetKind::EntityOrDeclarations && entity == "declarations")
            || kinds.contains_key(entity)
        {
            Some(WaiverTarget::Entity(entity.to_string()))
        } else {
            let hint = self
                .suggest(entity, ids)
                .or_else(|| Some("name an entity id, or `*` for every entity".into()));
            self.at(
                &entity_loc,
                format!("waiver names no entity `{entity}`"),
                hint,
            );
            None
        };
        let mut countries = Vec::new();
        for c in &w.countries {
            match self.country(&loc, c) {
                Some(c) => countries.push(c),
                None => ok = false,
            }
        }
        countries.sort();
        countries.dedup();
        for (field, value) in [("reason", &w.reason), ("approved_by", &w.approved_by)] {
            if value.value.trim().is_empty() {
                let l = self.loc_of(&loc, value.pos);
                let what = if field == "reason" {
                    "why the risk is accepted"
                } else {
                    "who accepted the risk"
                };
                self.at(&l, format!("`{field}` is empty: say {what}"), None);
                ok = false;
            }
        }
        let reason_code = w.reason_code.as_ref().map(|r| r.value);
        if let Some(law) = known.and_then(|r| r.reason_code_for)
            && reason_code.is_none()
        {
            let codes: Vec<String> = ReasonCode::ALL
                .iter()
                .map(|c| format!("{} ({})", c.as_str(), c.citation()))
                .collect();
            self.at(
                &loc,
                format!(
                    "a waiver of {rule} needs `reason_code`: the exception of {law} it relies on"
                ),
                Some(format!("one of: {}", codes.join(", "))),
            );
            ok = false;
        }
        let expires_loc = self.loc_of(&loc, w.expires.pos);
        let text = w.expires.value.0.trim();
        let expires = match crate::util::parse_day(text) {
            None => {
                self.at(
                    &expires_loc,
                    format!("`{text}` is not a calendar date"),
                    Some(
                        "write the last day the waiver applies as YYYY-MM-DD, e.g. 2027-03-31"
                            .into(),
                    ),
                );
                None
            }
            Some(day) if day > crate::util::one_year_after(opts.today) => {
                self.at(
                    &expires_loc,
                    format!(
                        "waiver expires {text}, more than one year after the report date {}",
                        crate::util::day_text(opts.today)
                    ),
                    Some(format!(
                        "a waiver lasts at most one year: expire it on or before {}, then review and renew it",
                        crate::util::day_text(crate::util::one_year_after(opts.today))
                    )),
                );
                None
            }
            Some(day) => Some(day),
        };
        if !ok {
            return None;
        }
        Some(Waiver {
            rule,
            target: target?,
            countries,
            reason: redact(w.reason.value.trim()),
            reason_code,
            approved_by: redact(w.approved_by.value.trim()),
            expires: expires?,
            loc,
        })
    }

    pub(super) fn database(&mut self, d: RawDatabase, loc: Loc) -> Option<Entity> {
        let id = self.id(&loc, &d.id);
        let hosts = self.hosts(&loc, d.hosts);
        let location = self.location(&loc, d.location);
        let terraform = self.terraform(&loc, d.terraform.0);
        Some(Entity {
            id: id?,
            name: d.name.map(|n| redact(&n)),
            hosts,
            location,
            terraform,
            loc,
            seen: Seen::Declared,
            kind: Kind::Database {
                role: d.role.unwrap_or(Role::Primary),
                engine: d.engine,
                operated_by: d.operated_by.map(|o| o.value.0),
                personal_data: d.personal_data.map(|pd| PersonalData {
                    ru_citizens: pd.ru_citizens.unwrap_or(true),
                    categories: pd.categories,
                }),
            },
        })
    }

    /// A processor or a partner (`list` says which): a key of the other
    /// kind is refused where it is written.
    pub(super) fn third_party(&mut self, p: RawThirdParty, loc: Loc, list: List) -> Option<Entity> {
        let id = self.id(&loc, &p.id);
        let legal_country = self.country(&loc, &p.country);
        let hosts = self.hosts(&loc, p.hosts);
        let location = self.location(&loc, p.location);
        let terraform = self.terraform(&loc, p.terraform.0);
        let collects = p.collects_from_subjects.unwrap_or(false);
        let kind = match list {
            List::Processors => {
                if let Some(b) = &p.legal_basis {
                    let at = self.loc_of(&loc, b.pos);
                    self.at(
                        &at,
                        "`legal_basis` is a partner's key: a processor acts on the operator's instruction",
                        Some("write `instruction:` (the contract's reference), or move the entity to `partners:`".into()),
                    );
                }
                Kind::Processor {
                    legal_country: None,
                    instruction: p
                        .instruction
                        .map(|s| s.value)
                        .filter(|s| !s.trim().is_empty())
                        .map(|s| redact(&s)),
                    collects,
                }
            }
            List::Partners => {
                if let Some(i) = &p.instruction {
                    let at = self.loc_of(&loc, i.pos);
                    self.at(
                        &at,
                        "`instruction` is a processor's key: a partner receives data for its own purposes",
                        Some("write `legal_basis:`, or move the entity to `processors:` if it acts on your instruction".into()),
                    );
                }
                Kind::Partner {
                    legal_country: None,
                    legal_basis: p.legal_basis.map(|b| b.value),
                    collects,
                }
            }
        };
        let mut e = Entity {
            id: id?,
            name: p.name.map(|n| redact(&n)),
            hosts,
            location,
            terraform,
            loc,
            kind,
            seen: Seen::Declared,
        };
        match &mut e.kind {
            Kind::Processor {
                legal_country: c, ..
            }
            | Kind::Partner {
                legal_country: c, ..
            } => *c = Some(legal_country?),
            Kind::Database { .. } => {}
        }
        Some(e)
    }
}

/// The list a third party is written in.
#[derive(Clone, Copy)]
pub(super) enum List {
    Processors,
    Partners,
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, LegalBasis, Role};

    fn load(text: &str) -> super::super::Inventory {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("i.yaml");
        std::fs::write(&p, text).unwrap();
        super::super::load(&p).unwrap()
    }

    #[test]
    fn each_kind_carries_its_own_fields() {
        let inv = load(
            "version: 1
databases:
  - {id: db, engine: postgres, operated_by: ops, personal_data: {categories: [email]}}
  - {id: copy, role: backup}
processors:
  - {id: ops, country: DE, instruction: DPA 2026-01, collects_from_subjects: true}
  - {id: blank, country: US, instruction: \"  \"}
partners:
  - {id: ads, country: US, legal_basis: consent}
",
        );
        let e = |id: &str| inv.entity(id).unwrap();
        match &e("db").kind {
            Kind::Database {
                role,
                engine,
                operated_by,
                personal_data,
            } => {
                assert_eq!(*role, Role::Primary, "no role written: primary");
                assert_eq!(engine.as_deref(), Some("postgres"));
                assert_eq!(operated_by.as_deref(), Some("ops"));
                let pd = personal_data.as_ref().unwrap();
                assert!(pd.ru_citizens);
                assert_eq!(pd.categories, ["email"]);
            }
            k => panic!("db is {k:?}"),
        }
        assert_eq!(e("copy").role(), Some(Role::Backup));
        assert!(!e("copy").holds_ru_pd());
        match &e("ops").kind {
            Kind::Processor {
                legal_country,
                instruction,
                collects,
            } => {
                assert_eq!(legal_country.map(|c| c.to_string()).as_deref(), Some("DE"));
                assert_eq!(instruction.as_deref(), Some("DPA 2026-01"));
                assert!(collects);
            }
            k => panic!("ops is {k:?}"),
        }
        assert_eq!(
            e("blank").instruction(),
            None,
            "a blank instruction is none"
        );
        assert!(!e("blank").collects_from_subjects());
        match &e("ads").kind {
            Kind::Partner {
                legal_country,
                legal_basis,
                collects,
            } => {
                assert_eq!(legal_country.map(|c| c.to_string()).as_deref(), Some("US"));
                assert_eq!(*legal_basis, Some(LegalBasis::Consent));
                assert!(!collects);
            }
            k => panic!("ads is {k:?}"),
        }
        // The accessors answer `None`/`false` for another kind's fields.
        assert_eq!(e("ads").role(), None);
        assert_eq!(e("db").legal_country(), None);
        assert!(!e("db").collects_from_subjects());
        assert_eq!(e("ops").personal_data().map(|_| ()), None);
    }
}
