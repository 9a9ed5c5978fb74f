//! GeoIP: address → country from a MaxMind-format database.
//!
//! The built-in database (ip-location-db `geo-whois-asn-country`, RIR data
//! © NRO, CC BY 4.0) is embedded in the binary and read in place: opening
//! it costs microseconds, nothing is copied or parsed up front. `--geoip`
//! takes any MaxMind DB with the GeoIP2/GeoLite2 layout (`country.iso_code`,
//! falling back to `registered_country.iso_code`) or a top-level
//! `country_code`.

use std::net::IpAddr;
use std::path::Path;

use maxminddb::Reader;
use serde::Deserialize;

use crate::reference::Country;

static BUILT_IN: &[u8] = include_bytes!("../../data/geo-whois-asn-country.mmdb");

/// The largest `--geoip` file read (GeoLite2-City is about 70 MiB).
const MAX_GEOIP_BYTES: u64 = 512 << 20;

/// Name and attribution of the built-in database.
pub const BUILT_IN_NAME: &str = "ip-location-db geo-whois-asn-country 2.3.2026061719";
pub const BUILT_IN_ATTRIBUTION: &str = "IP data: ip-location-db (CC0-1.0), built from RIR data by the Number Resource Organization (nro.net), CC BY 4.0";

enum Db {
    BuiltIn(Reader<&'static [u8]>),
    File(Reader<Vec<u8>>),
}

/// An open GeoIP database.
pub struct GeoIp {
    db: Db,
    /// What it is: the built-in name, or the file path and database type.
    pub source: String,
    /// When it was built, `YYYY-MM-DD`.
    pub build_date: String,
    /// Unix time it was built.
    pub build_epoch: i64,
}

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    country: Option<Iso<'a>>,
    #[serde(borrow)]
    registered_country: Option<Iso<'a>>,
    #[serde(borrow)]
    country_code: Option<&'a str>,
}

#[derive(Deserialize)]
struct Iso<'a> {
    #[serde(borrow)]
    iso_code: Option<&'a str>,
}

/// Why a GeoIP database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GeoIpError {
    #[error("built-in GeoIP database: {0}")]
    BuiltIn(#[source] maxminddb::MaxMindDbError),
    #[error("{}: {source}", .path.display())]
    Read {
        path: std::path::PathBuf,
        source: crate::diag::ReadError,
    },
    #[error("{}: not a readable MaxMind DB file: {source}", .path.display())]
    Open {
        path: std::path::PathBuf,
        source: maxminddb::MaxMindDbError,
    },
}

impl GeoIp {
    /// The database embedded in the binary.
    pub fn built_in() -> Result<Self, GeoIpError> {
        let reader = Reader::from_source(BUILT_IN).map_err(GeoIpError::BuiltIn)?;
        let epoch = reader.metadata().build_epoch as i64;
        Ok(Self {
            db: Db::BuiltIn(reader),
            source: BUILT_IN_NAME.to_string(),
            build_date: crate::util::date(epoch),
            build_epoch: epoch,
        })
    }

    /// A database file given with `--geoip`.
    pub fn open(path: &Path) -> Result<Self, GeoIpError> {
        // Through the one bounded reader: a FIFO is refused, not waited on.
        let bytes = crate::diag::read_limited(path, MAX_GEOIP_BYTES).map_err(|source| {
            GeoIpError::Read {
                path: path.to_path_buf(),
                source,
            }
        })?;
        let reader = Reader::from_source(bytes).map_err(|source| GeoIpError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let epoch = reader.metadata().build_epoch as i64;
        let source = format!("{} ({})", path.display(), reader.metadata().database_type);
        Ok(Self {
            db: Db::File(reader),
            source,
            build_date: crate::util::date(epoch),
            build_epoch: epoch,
        })
    }

    /// The country of an address, if the database has one.
    pub fn country(&self, ip: IpAddr) -> Option<Country> {
        let rec: Option<Record<'_>> = match &self.db {
            Db::BuiltIn(r) => r.lookup(ip).ok()?.decode().ok()?,
            Db::File(r) => r.lookup(ip).ok()?.decode().ok()?,
        };
        let rec = rec?;
        let code = rec
            .country
            .and_then(|c| c.iso_code)
            .or_else(|| rec.registered_country.and_then(|c| c.iso_code))
            .or(rec.country_code)?;
        Country::parse_loose(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_places_known_addresses() {
        let g = GeoIp::built_in().unwrap();
        assert_eq!(g.build_date, "2026-06-17");
        let c = |s: &str| g.country(s.parse().unwrap()).map(|c| c.to_string());
        assert_eq!(c("77.88.8.8").as_deref(), Some("RU"));
        assert_eq!(c("2a02:6b8::feed:0ff").as_deref(), Some("RU"));
        assert_eq!(c("8.8.8.8").as_deref(), Some("US"));
        assert_eq!(c("65.21.1.1").as_deref(), Some("FI"));
        assert_eq!(c("10.0.0.1"), None);
    }
}
