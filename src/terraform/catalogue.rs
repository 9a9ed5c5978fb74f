//! What the tool knows about Terraform providers and resource types:
//! the storage table (`data/terraform-storage.tsv`: which resource types
//! store data, and which attributes say where) and the providers (which
//! cloud each is, and which provider arguments carry its region).

use std::collections::HashMap;
use std::sync::OnceLock;

/// How to read a location attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// A region id of the cloud-region table ("West Europe" = westeurope).
    Region,
    /// An availability zone: the region it belongs to.
    Zone,
    /// A Spanner instance config: `regional-<region>` (multi-regions stay unknown).
    Spanner,
    /// (Only in `also`.) A replication setting: when geo-redundant (GRS,
    /// RA-GRS, GZRS, RA-GZRS, GeoRedundant), the data is also in the
    /// Azure paired region of each place.
    Pair,
}

/// One step of an attribute path: `host[]` is the list `host`, each element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub each: bool,
}

/// An attribute that holds a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// As written in the table, e.g. `host[].zone`.
    pub text: String,
    pub path: Vec<Step>,
    pub how: How,
}

/// A resource type that stores data.
#[derive(Debug)]
pub struct Storage {
    pub rtype: &'static str,
    pub cloud: &'static str,
    /// The class of storage: one of [`CLASSES`].
    pub class: &'static str,
    /// What it is, e.g. "RDS DB instance".
    pub kind: &'static str,
    /// The resource's own location, in order; empty: the provider's region.
    pub location: Vec<Attr>,
    /// Replicas: more locations the data is copied to.
    pub also: Vec<Attr>,
    /// Attributes naming the resource it belongs to, whose location it
    /// takes when it has none of its own.
    pub parent: Vec<String>,
    pub source: &'static str,
}

/// The classes of the storage table, in the order reports list them.
pub const CLASSES: &[(&str, &str)] = &[
    (
        "database",
        "databases, their clusters, instances and replicas",
    ),
    (
        "object-storage",
        "object storage: buckets, containers, objects",
    ),
    ("disk", "block storage: disks and volumes"),
    ("vm", "virtual machines (their boot disks)"),
    ("snapshot", "disk and database snapshots"),
    ("image", "machine images"),
    ("backup", "backups and backup vaults"),
    ("cache", "caches"),
    ("queue", "queues, topics and streams"),
    ("logs", "log groups, log workspaces and telemetry stores"),
    ("search", "search and analytics engines"),
    ("warehouse", "data warehouses and lakes"),
    ("ml", "ML datasets and feature stores"),
    ("file-share", "file shares and file systems"),
];

const TABLE_TEXT: &str = include_str!("../../data/terraform-storage.tsv");

/// Why an attribute spec of the storage table is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttrError {
    #[error("`{0}`: expected ATTRIBUTE:HOW")]
    NoHow(String),
    #[error("`{spec}`: unknown HOW `{how}`")]
    UnknownHow { spec: String, how: String },
    #[error("`{0}`: empty attribute name")]
    EmptyName(String),
}

/// Parse `a[].b:zone`.
pub fn parse_attr(spec: &str) -> Result<Attr, AttrError> {
    let (path, how) = spec
        .split_once(':')
        .ok_or_else(|| AttrError::NoHow(spec.to_string()))?;
    let how = match how {
        "region" => How::Region,
        "zone" => How::Zone,
        "spanner" => How::Spanner,
        "pair" => How::Pair,
        other => {
            return Err(AttrError::UnknownHow {
                spec: spec.to_string(),
                how: other.to_string(),
            });
        }
    };
    let path: Vec<Step> = path
        .split('.')
        .map(|s| match s.strip_suffix("[]") {
            Some(name) => Step {
                name: name.to_string(),
                each: true,
            },
            None => Step {
                name: s.to_string(),
                each: false,
            },
        })
        .collect();
    if path.iter().any(|s| s.name.is_empty()) {
        return Err(AttrError::EmptyName(spec.to_string()));
    }
    Ok(Attr {
        text: spec.split(':').next().unwrap_or_default().to_string(),
        path,
        how,
    })
}

fn attrs(column: &str) -> Result<Vec<Attr>, AttrError> {
    if column == "-" {
        return Ok(Vec::new());
    }
    column.split(',').map(parse_attr).collect()
}

fn table() -> &'static HashMap<&'static str, Storage> {
    static TABLE: OnceLock<HashMap<&'static str, Storage>> = OnceLock::new();
    TABLE.get_or_init(|| {
        crate::reference::tsv_rows(TABLE_TEXT)
            .filter_map(|(_, cols)| match cols.as_slice() {
                [
                    rtype,
                    cloud,
                    class,
                    kind,
                    location,
                    also,
                    parent,
                    source,
                    ..,
                ] => Some((
                    *rtype,
                    Storage {
                        rtype,
                        cloud,
                        class,
                        kind,
                        location: attrs(location).ok()?,
                        also: attrs(also).ok()?,
                        parent: match *parent {
                            "-" => Vec::new(),
                            p => p.split(',').map(str::to_string).collect(),
                        },
                        source,
                    },
                )),
                _ => None,
            })
            .collect()
    })
}

/// Every storage type of the table.
pub fn all() -> impl Iterator<Item = &'static Storage> {
    table().values()
}

const PAIRS_TEXT: &str = include_str!("../../data/azure-paired-regions.tsv");

/// The Azure region that geo-redundant storage in `region` is copied to.
pub fn azure_pair(region: &str) -> Option<&'static str> {
    static PAIRS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    PAIRS
        .get_or_init(|| {
            crate::reference::tsv_rows(PAIRS_TEXT)
                .filter_map(|(_, cols)| match cols.as_slice() {
                    [region, pair, ..] => Some((*region, *pair)),
                    _ => None,
                })
                .collect()
        })
        .get(region)
        .copied()
}

/// The storage entry of a resource type, if it stores data.
pub fn storage(rtype: &str) -> Option<&'static Storage> {
    table().get(rtype)
}

/// Where a resource type the table does not list keeps its location, when
/// an entity claims it explicitly: the usual attribute names.
pub fn generic_location() -> &'static [Attr] {
    static GENERIC: OnceLock<Vec<Attr>> = OnceLock::new();
    GENERIC.get_or_init(|| {
        [
            "region:region",
            "location:region",
            "availability_zone:zone",
            "zone:zone",
        ]
        .iter()
        .filter_map(|s| parse_attr(s).ok())
        .collect()
    })
}

/// A Terraform provider the tool can place.
#[derive(Debug)]
pub struct Provider {
    /// `namespace/type` of its registry address.
    pub source: &'static str,
    pub cloud: &'static str,
    /// Provider arguments that set the default region, in order.
    pub region_args: &'static [(&'static str, How)],
    /// Where else the provider takes its region from (not recorded in a plan).
    pub env: &'static str,
}

/// The providers of the clouds in the storage table. Azure and Selectel
/// have no provider-wide region: each resource states its own.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        source: "hashicorp/aws",
        cloud: "aws",
        region_args: &[("region", How::Region)],
        env: "the environment variable AWS_REGION or AWS_DEFAULT_REGION, or the profile in ~/.aws/config",
    },
    Provider {
        source: "hashicorp/google",
        cloud: "gcp",
        region_args: &[("region", How::Region), ("zone", How::Zone)],
        env: "the environment variable GOOGLE_REGION, GCLOUD_REGION or CLOUDSDK_COMPUTE_REGION, or GOOGLE_ZONE",
    },
    Provider {
        source: "hashicorp/google-beta",
        cloud: "gcp",
        region_args: &[("region", How::Region), ("zone", How::Zone)],
        env: "the environment variable GOOGLE_REGION, GCLOUD_REGION or CLOUDSDK_COMPUTE_REGION, or GOOGLE_ZONE",
    },
    Provider {
        source: "hashicorp/azurerm",
        cloud: "azure",
        region_args: &[],
        env: "nothing: each resource states its location",
    },
    Provider {
        source: "yandex-cloud/yandex",
        cloud: "yandex",
        region_args: &[("region_id", How::Region), ("zone", How::Zone)],
        env: "the environment variable YC_REGION or YC_ZONE",
    },
    Provider {
        source: "vk-cs/vkcs",
        cloud: "vk",
        region_args: &[("region", How::Region)],
        env: "the environment variable OS_REGION_NAME",
    },
    Provider {
        source: "digitalocean/digitalocean",
        cloud: "digitalocean",
        region_args: &[],
        env: "nothing: each resource states its region",
    },
    Provider {
        source: "hetznercloud/hcloud",
        cloud: "hetzner",
        region_args: &[],
        env: "nothing: each resource states its location",
    },
    Provider {
        source: "ovh/ovh",
        cloud: "ovh",
        region_args: &[],
        env: "nothing: each resource states its region",
    },
    Provider {
        source: "selectel/selectel",
        cloud: "selectel",
        region_args: &[],
        env: "nothing: each resource states its region",
    },
];

/// The provider of a registry address such as
/// `registry.terraform.io/hashicorp/aws` (any registry host: OpenTofu's
/// or a mirror).
pub fn provider(full_name: &str) -> Option<&'static Provider> {
    let mut parts = full_name.rsplit('/');
    let rtype = parts.next()?.to_lowercase();
    match parts.next() {
        // Older Terraform (format 0.1) writes the short name `aws`, and
        // 0.13's legacy addresses the namespace `-`.
        None | Some("-") => PROVIDERS
            .iter()
            .find(|p| p.source.rsplit('/').next() == Some(rtype.as_str())),
        Some(namespace) => {
            let source = format!("{}/{rtype}", namespace.to_lowercase());
            PROVIDERS.iter().find(|p| p.source == source)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_names_a_known_cloud() {
        let rows = crate::reference::tsv_rows(TABLE_TEXT).count();
        assert_eq!(
            rows,
            table().len(),
            "a row failed to parse or repeats a type"
        );
        assert!(rows >= 200, "{rows}");
        for s in table().values() {
            assert!(
                CLASSES.iter().any(|(c, _)| *c == s.class),
                "{}: class {}",
                s.rtype,
                s.class
            );
            // The documentation page is the type's own page.
            let page = s.source.rsplit('/').next().unwrap_or_default();
            assert!(
                s.rtype.ends_with(&format!("_{page}")),
                "{}: source {} is not its page",
                s.rtype,
                s.source
            );
            for p in &s.parent {
                let (attr, ptype) = p.split_once('>').unwrap_or((p, ""));
                assert!(!attr.is_empty(), "{}: empty parent", s.rtype);
                assert!(
                    ptype.is_empty() || ptype.contains('_'),
                    "{}: parent type {ptype}",
                    s.rtype
                );
            }
            assert!(
                crate::reference::cloud::providers().any(|p| p == s.cloud),
                "{}: cloud {}",
                s.rtype,
                s.cloud
            );
            assert!(s.source.starts_with("https://"), "{}", s.rtype);
            assert!(
                PROVIDERS.iter().any(|p| p.cloud == s.cloud),
                "{}: no provider for {}",
                s.rtype,
                s.cloud
            );
        }
    }

    /// Every type of the storage table is a type its provider documents
    /// (data/terraform-provider-types.tsv, derived from the providers'
    /// documentation folders).
    #[test]
    fn every_type_exists_in_its_provider() {
        let known: std::collections::HashMap<&str, (&str, &str)> =
            crate::reference::tsv_rows(include_str!("../../data/terraform-provider-types.tsv"))
                .filter_map(|(_, c)| match c.as_slice() {
                    [t, repo, doc, ..] => Some((*t, (*repo, *doc))),
                    _ => None,
                })
                .collect();
        for s in table().values() {
            let Some((repo, doc)) = known.get(s.rtype) else {
                panic!("{} is not in data/terraform-provider-types.tsv", s.rtype);
            };
            assert!(
                repo.starts_with(|c: char| c.is_ascii_lowercase())
                    && repo.contains("/terraform-provider-"),
                "{}: {repo}",
                s.rtype
            );
            let stem = doc.rsplit('/').next().unwrap_or_default();
            let stem = stem.split('.').next().unwrap_or_default();
            assert!(
                s.rtype.ends_with(&format!("_{stem}")),
                "{}: doc {doc}",
                s.rtype
            );
        }
    }

    #[test]
    fn every_class_of_the_issue_has_types_of_the_big_clouds() {
        for (class, _) in CLASSES {
            let clouds: Vec<&str> = table()
                .values()
                .filter(|s| s.class == *class)
                .map(|s| s.cloud)
                .collect();
            assert!(!clouds.is_empty(), "class {class} is empty");
        }
        for cloud in ["aws", "gcp", "azure", "yandex", "vk", "selectel"] {
            let classes: std::collections::BTreeSet<&str> = table()
                .values()
                .filter(|s| s.cloud == cloud)
                .map(|s| s.class)
                .collect();
            assert!(classes.len() >= 3, "{cloud}: {classes:?}");
        }
    }

    #[test]
    fn azure_pairs_are_regions_of_the_table() {
        for (_, cols) in crate::reference::tsv_rows(PAIRS_TEXT) {
            for r in &cols[..2] {
                assert!(
                    crate::reference::cloud::lookup("azure", r).is_ok(),
                    "paired-region table: {r} is not an Azure region of the cloud-region table"
                );
            }
            assert!(cols[2].starts_with("https://"));
        }
        assert_eq!(azure_pair("westeurope"), Some("northeurope"));
        assert_eq!(azure_pair("westus3"), Some("eastus"));
        assert_eq!(azure_pair("italynorth"), None);
    }

    #[test]
    fn short_provider_names() {
        assert_eq!(provider("aws").map(|p| p.cloud), Some("aws"));
        assert_eq!(
            provider("google").map(|p| p.source),
            Some("hashicorp/google")
        );
        assert_eq!(provider("yandex").map(|p| p.cloud), Some("yandex"));
        assert_eq!(
            provider("registry.terraform.io/-/azurerm").map(|p| p.cloud),
            Some("azure")
        );
        assert!(provider("random").is_none());
    }

    #[test]
    fn the_issue_lists_are_covered() {
        for t in [
            "aws_db_instance",
            "aws_rds_cluster",
            "aws_dynamodb_table",
            "aws_s3_bucket",
            "aws_elasticache_replication_group",
            "aws_opensearch_domain",
            "aws_redshift_cluster",
            "aws_docdb_cluster",
            "google_sql_database_instance",
            "google_spanner_instance",
            "google_bigquery_dataset",
            "google_storage_bucket",
            "google_firestore_database",
            "google_redis_instance",
            "azurerm_mssql_server",
            "azurerm_postgresql_flexible_server",
            "azurerm_mysql_flexible_server",
            "azurerm_cosmosdb_account",
            "azurerm_storage_account",
            "azurerm_redis_cache",
            "yandex_mdb_postgresql_cluster",
            "yandex_mdb_mysql_cluster",
            "yandex_mdb_clickhouse_cluster",
            "yandex_mdb_mongodb_cluster",
            "yandex_mdb_redis_cluster",
            "yandex_ydb_database_serverless",
            "yandex_storage_bucket",
            "yandex_compute_disk",
            "vkcs_db_instance",
            "vkcs_blockstorage_volume",
            "selectel_dbaas_postgresql_datastore_v1",
            "selectel_compute_volume_v3",
            // Issue 13: snapshots, backups, queues/topics/streams, logs and
            // telemetry, ML datasets, file shares, children of servers.
            "aws_ebs_snapshot",
            "aws_backup_vault",
            "aws_sqs_queue",
            "aws_sns_topic",
            "aws_kinesis_stream",
            "aws_cloudwatch_log_group",
            "google_compute_snapshot",
            "google_vertex_ai_dataset",
            "google_pubsub_topic",
            "azurerm_recovery_services_vault",
            "azurerm_application_insights",
            "azurerm_log_analytics_workspace",
            "azurerm_storage_share",
            "azurerm_mssql_database",
            "azurerm_storage_queue",
            "yandex_compute_snapshot",
            "yandex_message_queue",
            "yandex_logging_group",
            "vkcs_blockstorage_snapshot",
            "selectel_dbaas_postgresql_database_v1",
        ] {
            assert!(storage(t).is_some(), "{t}");
        }
    }

    #[test]
    fn attribute_paths() {
        let a = parse_attr("custom_placement_config[].data_locations[]:region").unwrap();
        assert_eq!(a.path.len(), 2);
        assert!(a.path[0].each && a.path[1].each);
        assert_eq!(a.text, "custom_placement_config[].data_locations[]");
        assert_eq!(
            parse_attr("region").unwrap_err().to_string(),
            "`region`: expected ATTRIBUTE:HOW"
        );
        assert_eq!(
            parse_attr("region:country").unwrap_err(),
            AttrError::UnknownHow {
                spec: "region:country".into(),
                how: "country".into()
            }
        );
        assert_eq!(
            parse_attr(".x:region").unwrap_err(),
            AttrError::EmptyName(".x:region".into())
        );
    }

    #[test]
    fn providers_by_registry_address() {
        assert_eq!(
            provider("registry.terraform.io/hashicorp/aws").map(|p| p.cloud),
            Some("aws")
        );
        assert_eq!(
            provider("registry.opentofu.org/yandex-cloud/yandex").map(|p| p.cloud),
            Some("yandex")
        );
        assert!(provider("registry.terraform.io/hashicorp/random").is_none());
    }
}
