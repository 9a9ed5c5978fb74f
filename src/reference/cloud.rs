//! The built-in cloud-region table (`data/cloud-regions.tsv`): provider +
//! region id → country, each row with the documentation page it came from.

use std::sync::OnceLock;

use super::Country;

#[derive(Debug)]
pub struct Region {
    pub provider: &'static str,
    pub region: &'static str,
    pub country: Country,
    pub city: &'static str,
    pub source: &'static str,
}

/// Provider ids, and the other spellings users write for them.
const PROVIDERS: &[(&str, &[&str])] = &[
    ("aws", &["amazon", "amazon-web-services"]),
    ("azure", &["microsoft", "microsoft-azure"]),
    (
        "cloudru",
        &[
            "cloud.ru",
            "cloud-ru",
            "sbercloud",
            "cloud.ru-advanced",
            "cloud.ru-evolution",
            "cloudru-evolution",
            "evolution",
        ],
    ),
    ("digitalocean", &["do", "digital-ocean"]),
    ("gcp", &["google", "google-cloud", "gce"]),
    ("hetzner", &["hetzner-cloud"]),
    (
        "mts",
        &[
            "mts-cloud",
            "cloudmts",
            "mws",
            "mws-cloud",
            "mws-cloud-platform",
        ],
    ),
    (
        "oracle",
        &["oci", "oracle-cloud", "oracle-cloud-infrastructure"],
    ),
    ("ovh", &["ovhcloud"]),
    ("selectel", &[]),
    ("timeweb", &["timeweb-cloud", "twc"]),
    ("vk", &["vk-cloud", "vkcloud", "mcs"]),
    ("yandex", &["yandex-cloud", "yandexcloud", "yc"]),
];

const TABLE_TEXT: &str = include_str!("../../data/cloud-regions.tsv");

fn table() -> &'static [Region] {
    static TABLE: OnceLock<Vec<Region>> = OnceLock::new();
    TABLE.get_or_init(|| {
        super::tsv_rows(TABLE_TEXT)
            .filter_map(|(_, cols)| match cols.as_slice() {
                [provider, region, country, city, source, ..] => Some(Region {
                    provider,
                    region,
                    country: Country::parse(country)?,
                    city,
                    source,
                }),
                _ => None,
            })
            .collect()
    })
}

/// All providers of the table, by id.
pub fn providers() -> impl Iterator<Item = &'static str> {
    PROVIDERS.iter().map(|(id, _)| *id)
}

/// The provider id for a spelling users write ("Yandex Cloud" → yandex).
pub fn provider_id(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase().replace([' ', '_'], "-");
    PROVIDERS
        .iter()
        .find(|(id, aliases)| *id == n || aliases.contains(&n.as_str()))
        .map(|(id, _)| *id)
}

/// Normalise a region spelling: "West Europe" = "westeurope", "EU-Central-1" = "eu-central-1".
pub fn normalise_region(region: &str) -> String {
    region.trim().to_lowercase().replace([' ', '_'], "")
}

/// Why a cloud/region pair could not be found, with a hint.
#[derive(Debug, PartialEq, Eq)]
pub enum LookupError {
    UnknownProvider {
        hint: Option<&'static str>,
    },
    UnknownRegion {
        provider: &'static str,
        hint: Option<&'static str>,
    },
}

/// Find a region of a provider.
pub fn lookup(provider: &str, region: &str) -> Result<&'static Region, LookupError> {
    let Some(id) = provider_id(provider) else {
        return Err(LookupError::UnknownProvider {
            hint: super::closest(provider, providers()),
        });
    };
    let wanted = normalise_region(region);
    let rows = table().iter().filter(|r| r.provider == id);
    if let Some(r) = rows.clone().find(|r| r.region.replace('_', "") == wanted) {
        return Ok(r);
    }
    Err(LookupError::UnknownRegion {
        provider: id,
        hint: super::closest(region, rows.map(|r| r.region)),
    })
}

/// The region of an availability zone: the longest region id of the
/// provider that the zone id extends (`eu-central-1a` → eu-central-1,
/// `ru-central1-b` → ru-central1, `europe-west1-c` → europe-west1,
/// `ru-3a` → ru-3). `None` when no region of the table fits.
pub fn zone_region(provider: &str, zone: &str) -> Option<&'static Region> {
    let id = provider_id(provider)?;
    let zone = normalise_region(zone);
    table()
        .iter()
        .filter(|r| r.provider == id)
        .filter(|r| {
            zone.len() > r.region.len()
                && zone.starts_with(r.region)
                && zone[r.region.len()..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !zone[r.region.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
        })
        .max_by_key(|r| r.region.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_provider() {
        for p in providers() {
            assert!(
                table().iter().any(|r| r.provider == p),
                "no regions for {p}"
            );
        }
        for r in table() {
            assert!(
                r.source.starts_with("https://"),
                "{} {} has no source",
                r.provider,
                r.region
            );
        }
    }

    #[test]
    fn lookups_normalise_spellings() {
        assert_eq!(
            lookup("yandex", "ru-central1").unwrap().country.as_str(),
            "RU"
        );
        assert_eq!(
            lookup("Yandex Cloud", "kz1").unwrap().country.as_str(),
            "KZ"
        );
        assert_eq!(
            lookup("aws", "eu-central-1").unwrap().country.as_str(),
            "DE"
        );
        assert_eq!(
            lookup("azure", "West Europe").unwrap().country.as_str(),
            "NL"
        );
        assert_eq!(lookup("hetzner", "hel1").unwrap().country.as_str(), "FI");
        assert_eq!(
            lookup("aws", "eu-centrl-1").unwrap_err(),
            LookupError::UnknownRegion {
                provider: "aws",
                hint: Some("eu-central-1")
            }
        );
        assert!(matches!(
            lookup("amazn", "x"),
            Err(LookupError::UnknownProvider { .. })
        ));
    }

    #[test]
    fn zones_map_to_their_region() {
        let z = |p, zone| zone_region(p, zone).map(|r| r.region);
        assert_eq!(z("aws", "eu-central-1a"), Some("eu-central-1"));
        assert_eq!(z("aws", "us-east-1-bos-1a"), Some("us-east-1"));
        assert_eq!(z("yandex", "ru-central1-b"), Some("ru-central1"));
        assert_eq!(z("yandex", "kz1-a"), Some("kz1"));
        assert_eq!(z("gcp", "europe-west1-b"), Some("europe-west1"));
        assert_eq!(z("gcp", "europe-west10-a"), Some("europe-west10"));
        assert_eq!(z("selectel", "ru-3a"), Some("ru-3"));
        // A region is not its own zone, and ru-1 is not a zone of ru-10.
        assert_eq!(z("aws", "eu-central-1"), None);
        assert_eq!(z("selectel", "ru-10a"), None);
        assert_eq!(z("vk", "GZ1"), None);
        assert_eq!(z("mts", "ru-central1-a"), Some("ru-central1"));
    }

    #[test]
    fn regions_added_in_december_2026_are_placed() {
        // One lookup per row the December 2026 review found missing, and
        // one per provider added then: each must place, with its source.
        let cases = [
            ("aws", "eusc-de-east-1", "DE"),
            ("gcp", "asia-southeast3", "TH"),
            ("VK Cloud", "kz", "KZ"),
            ("vk", "kz-ast", "KZ"),
            ("vk", "ru-msk", "RU"),
            ("timeweb", "tr-1", "TR"),
            ("timeweb", "us-2", "US"),
            ("timeweb", "fi-1", "FI"),
            ("oracle", "eu-frankfurt-1", "DE"),
            ("OCI", "me-jeddah-1", "SA"),
            ("Oracle Cloud", "us-ashburn-1", "US"),
            ("oracle", "af-casablanca-1", "MA"),
            ("azure", "Denmark East", "DK"),
            ("mts", "ru-central1", "RU"),
            ("MTS Cloud", "ru-central1", "RU"),
            ("Cloud.ru Evolution", "ru.AZ-1", "RU"),
            ("cloudru", "ru-moscow-1", "RU"),
        ];
        for (provider, region, country) in cases {
            let r =
                lookup(provider, region).unwrap_or_else(|e| panic!("{provider} {region}: {e:?}"));
            assert_eq!(r.country.as_str(), country, "{provider} {region}");
            assert!(r.source.starts_with("https://"), "{provider} {region}");
        }
        // Close misses stay unknown: no Oracle region of that name, no
        // MTS region but ru-central1, Yandex's `kz1` is not VK's `kz`.
        assert!(lookup("oracle", "eu-frankfurt-3").is_err());
        assert!(lookup("mts", "ru-central2").is_err());
        assert!(lookup("vk", "kz1").is_err());
        assert!(lookup("yandex", "kz").is_err());
    }
}
