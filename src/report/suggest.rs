//! `--suggest`: inventory entries, ready to paste, for every third party of
//! the web site that the inventory does not list. The output is a whole
//! inventory file (`version: 1`) that validates as it is; every entry
//! carries the evidence and the source of its facts as comments.

use crate::inventory::{EntityKind, Inventory};
use crate::reference::Country;
use crate::resolve::Resolved;
use crate::site::{SiteAudit, catalogue};

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comment line: no line breaks can escape it.
fn comment(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The suggested inventory file.
pub(crate) fn yaml(
    site: &SiteAudit,
    inv: &Inventory,
    resolved: &Resolved,
    generated_at: &str,
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Suggested by residency {} on {} from the web site {}.\n",
        env!("CARGO_PKG_VERSION"),
        generated_at.get(..10).unwrap_or(generated_at),
        comment(&site.scan.roots.join(", "))
    ));
    let unlisted: Vec<_> = site.links.iter().filter(|l| l.unlisted).collect();
    if unlisted.is_empty() {
        out.push_str("# Every third party the site loads is in the inventory: nothing to add.\n");
        out.push_str("version: 1\n");
        return out;
    }
    out.push_str(
        "# The third parties below receive visitors' data from the site but are not in the inventory.\n\
         # Review each entry (legal entity, country, instruction contract), then save this file in the\n\
         # inventory directory, e.g. as inventory/site.yaml. Once each is named in the privacy policy and\n\
         # the notifications to Roskomnadzor, add its id to declarations.third_parties:\n",
    );
    out.push_str(&format!(
        "#   third_parties: [{}]\n",
        unlisted
            .iter()
            .map(|l| l.entity.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push_str("version: 1\n");
    for (kind, section) in [
        (EntityKind::Processor, "processors"),
        (EntityKind::Partner, "partners"),
    ] {
        let mut first = true;
        for link in &unlisted {
            let Some(i) = inv.entities.iter().position(|e| e.id == link.entity) else {
                continue;
            };
            let e = &inv.entities[i];
            if e.kind() != kind {
                continue;
            }
            if first {
                out.push_str(&format!("\n{section}:\n"));
                first = false;
            }
            let party = &site.scan.third_parties[link.party];
            let loc = resolved.locations.get(i);
            match party.service {
                Some(s) => {
                    out.push_str(&format!(
                        "  # {}: {}, {}. Receives {}{}.\n",
                        comment(s.name),
                        comment(s.legal_entity),
                        s.country.name_en(),
                        s.receives.describe(),
                        if s.collects {
                            " and records it: a first recording"
                        } else {
                            "; serves files only"
                        }
                    ));
                    out.push_str(&format!("  # Facts: {}\n", comment(s.source)));
                }
                None => out.push_str(&format!(
                    "  # {}: not in the catalogue. Find out who runs it; until then it is taken to record\n  # the visitor's data (fail closed).\n",
                    comment(&party.id)
                )),
            }
            for s in party.sightings.iter().take(3) {
                out.push_str(&format!("  # Seen: {}\n", comment(&s.describe())));
            }
            if party.sightings.len() > 3 {
                out.push_str(&format!(
                    "  # Seen: … and {} more\n",
                    party.sightings.len() - 3
                ));
            }
            out.push_str(&format!("  - id: {}\n", q(&e.id)));
            let name = match party.service {
                Some(s) => format!("{} ({})", s.legal_entity, s.name),
                None => party.id.clone(),
            };
            out.push_str(&format!("    name: {}\n", q(&name)));
            let observed: Option<Country> = loc.and_then(|l| {
                l.observed
                    .iter()
                    .find(|c| !c.is_ru())
                    .or(l.observed.iter().next())
                    .copied()
            });
            match (party.service, observed) {
                (Some(s), _) => out.push_str(&format!("    country: {}\n", s.country)),
                (None, Some(c)) => out.push_str(&format!(
                    "    country: {c}  # where its hosts are (GeoIP): replace with the country of its legal entity\n"
                )),
                (None, None) => out.push_str(
                    "    country: XX  # FIXME: unknown (its hosts could not be placed); write the legal entity's country\n",
                ),
            }
            // Only hosts the pages contain (a snippet names a service, no host).
            if !party.hosts.is_empty() {
                out.push_str(&format!(
                    "    hosts: [{}]\n",
                    party
                        .hosts
                        .iter()
                        .map(|h| q(h))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            out.push_str(&format!(
                "    collects_from_subjects: {}\n",
                party.collects()
            ));
            match kind {
                EntityKind::Processor => {
                    let who = party.service.map_or("the service", |s| s.legal_entity);
                    out.push_str(&format!(
                        "    # instruction: the operator's instruction (поручение оператора) to {}, given by contract (152-FZ art. 6 p. 3)\n",
                        comment(who)
                    ));
                }
                _ => out.push_str(
                    "    # legal_basis: consent  # consent | contract | law | legitimate_interest\n",
                ),
            }
            if party
                .service
                .is_some_and(|s| s.role == catalogue::Role::Independent)
            {
                out.push_str(
                    "    # An operator in its own right (its own purposes and legal basis): a partner, no instruction.\n",
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting() {
        assert_eq!(
            super::q("ООО «Яндекс» \"x\" \\ y"),
            "\"ООО «Яндекс» \\\"x\\\" \\\\ y\""
        );
        assert_eq!(super::comment("a\nb"), "a b");
    }
}
