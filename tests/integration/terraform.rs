//! `check --terraform PLAN.json`: every cloud's fixture placed, linking by
//! address, module path and tag, unknown regions failing closed,
//! `unlisted-storage`, plan input errors, and the example's accounts
//! database moving to Frankfurt.

use crate::common::*;
use crate::gate::*;

const HEAD: &str = "version: 1\norganization: {name: Op, country: RU}\n";

/// Check an inventory against one plan fixture; the JSON report.
fn with_plan(body: &str, fixture: &str) -> serde_json::Value {
    let inv = Inv::one(&format!("{HEAD}{body}"));
    let r = inv.check(&[
        "--offline",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--terraform",
        &plan(fixture),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

fn countries(r: &serde_json::Value, id: &str) -> Vec<String> {
    entity(r, id)["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

fn evidence(r: &serde_json::Value, rule: &str, id: &str) -> Vec<String> {
    finding(r, rule, id)
        .unwrap_or_else(|| panic!("no {rule} for {id}: {:#}", r["findings"]))["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

fn unknown(r: &serde_json::Value, id: &str) -> String {
    entity(r, id)["unknown"].to_string()
}

fn unlisted(r: &serde_json::Value) -> Vec<String> {
    findings(r)
        .into_iter()
        .filter(|(rule, _)| rule == "unlisted-storage")
        .map(|(_, e)| e)
        .collect()
}

#[test]
fn aws_provider_regions_aliases_modules_and_replicas() {
    let r = with_plan(
        "databases:
  - {id: analytics, role: analytics, terraform: [aws_rds_cluster.analytics, aws_rds_cluster_instance.analytics], personal_data: {}}
  - {id: sessions, role: cache, terraform: [aws_dynamodb_table.sessions], personal_data: {}}
  - {id: cache, role: cache, terraform: ['aws_elasticache_replication_group.cache'], personal_data: {}}
  - {id: dwh, role: analytics, terraform: [aws_redshift_cluster.dwh], personal_data: {}}
  - {id: log-archive, role: archive, terraform: [module.logs], personal_data: {}}
  - {id: scratch, role: backup, terraform: [aws_ebs_volume.scratch]}
  - {id: search, role: analytics, terraform: ['aws_opensearch_domain.search', 'aws_docdb_cluster.profiles']}
",
        "aws.json",
    );
    // The provider's region comes from var.region (eu-central-1), for
    // every count instance of the cluster.
    assert_eq!(countries(&r, "analytics"), ["DE"]);
    let ev = evidence(&r, "copy-abroad", "analytics");
    assert!(
        ev.contains(&"aws_rds_cluster_instance.analytics[1] (`cluster_identifier` → aws_rds_cluster.analytics (provider aws `region`)) -> aws/eu-central-1 -> DE (terraform:aws_rds_cluster_instance.analytics[1])".to_string()),
        "{ev:#?}"
    );
    assert_eq!(
        entity(&r, "analytics")["terraform"],
        serde_json::json!([
            "aws_rds_cluster.analytics",
            "aws_rds_cluster_instance.analytics[0]",
            "aws_rds_cluster_instance.analytics[1]"
        ])
    );
    // A DynamoDB replica in Ireland is a second country.
    assert_eq!(countries(&r, "sessions"), ["DE", "IE"]);
    // The aliased provider aws.virginia, and the same alias passed into module.logs.
    assert_eq!(countries(&r, "cache"), ["US"]);
    assert_eq!(countries(&r, "log-archive"), ["US"]);
    assert_eq!(
        entity(&r, "log-archive")["terraform"],
        serde_json::json!(["module.logs.aws_s3_bucket.main"]),
        "a module path claims its storage, not aws_s3_bucket_versioning"
    );
    // An availability zone set from another resource is known only after
    // apply: unknown, never a pass.
    assert!(countries(&r, "dwh").is_empty());
    assert!(has(&r, "location-unknown", "dwh"));
    assert!(
        unknown(&r, "dwh").contains(
            "terraform aws_redshift_cluster.dwh: `availability_zone` is computed at apply time"
        ),
        "{}",
        unknown(&r, "dwh")
    );
    // A planned deletion places nothing.
    assert!(countries(&r, "scratch").is_empty());
    assert_eq!(countries(&r, "search"), ["DE"]);
    // Tagged personal-data = true, claimed by nobody.
    assert_eq!(unlisted(&r), ["aws_s3_bucket.exports"]);
    let f = finding(&r, "unlisted-storage", "aws_s3_bucket.exports").unwrap();
    assert_eq!(f["severity"], "high");
    assert_eq!(f["countries"], serde_json::json!(["DE"]));
    let terraform = &r["terraform"];
    assert_eq!(terraform["plans"][0]["terraform_version"], "1.9.8");
    let iam = terraform["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["address"] == "aws_iam_role.app");
    assert!(
        !iam,
        "non-storage resources that no entity claims are not listed"
    );
}

#[test]
fn dynamodb_table_unclaimed_with_personal_data_tag_is_unlisted_storage() {
    let r = with_plan(
        "databases:\n  - {id: x, location: {country: RU}}\n",
        "aws.json",
    );
    let mut u = unlisted(&r);
    u.sort();
    assert_eq!(
        u,
        [
            "aws_dynamodb_table.sessions",
            "aws_s3_bucket.exports",
            "module.logs.aws_s3_bucket.main"
        ]
    );
    // The module's bucket is tagged residency-id = log-archive, which names no entity.
    let f = finding(&r, "unlisted-storage", "module.logs.aws_s3_bucket.main").unwrap();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("residency-id = log-archive, but the inventory has no entity `log-archive`"),
        "{}",
        f["message"]
    );
    assert!(
        f["message_ru"]
            .as_str()
            .unwrap()
            .contains("нет сущности «log-archive»")
    );
    // The deleted EBS volume was tagged personal-data = true: no finding.
    assert!(finding(&r, "unlisted-storage", "aws_ebs_volume.scratch").is_none());
}

#[test]
fn google_cloud_regions_zones_multi_regions_and_module_providers() {
    let r = with_plan(
        "databases:
  - {id: accounts, terraform: [google_sql_database_instance.main], personal_data: {}}
  - {id: replica, role: replica, terraform: [google_sql_database_instance.replica], personal_data: {}}
  - {id: orders, terraform: [google_spanner_instance.orders], personal_data: {}}
  - {id: catalog, terraform: [google_spanner_instance.global], personal_data: {}}
  - {id: events, role: analytics, terraform: [google_bigquery_dataset.events], personal_data: {}}
  - {id: media, terraform: [google_storage_bucket.media], personal_data: {}}
  - {id: backups, role: backup, terraform: [google_storage_bucket.backups], personal_data: {}}
  - {id: docs, terraform: [google_firestore_database.default], personal_data: {}}
  - {id: cache, role: cache, terraform: [google_redis_instance.cache], personal_data: {}}
  - {id: disk, role: backup, terraform: [google_compute_disk.data], personal_data: {}}
  - {id: module-events, role: analytics, terraform: [module.analytics], personal_data: {}}
",
        "gcp.json",
    );
    assert_eq!(countries(&r, "accounts"), ["DE"]);
    // Region not set: the provider's europe-west1 (Belgium).
    assert_eq!(countries(&r, "replica"), ["BE"]);
    assert_eq!(countries(&r, "orders"), ["FI"]);
    // Multi-regions spanning countries stay unknown.
    assert!(countries(&r, "catalog").is_empty());
    assert!(unknown(&r, "catalog").contains("`nam3`, a multi-region configuration"));
    assert!(countries(&r, "events").is_empty());
    assert!(
        unknown(&r, "events").contains("`location` is `EU`"),
        "{}",
        unknown(&r, "events")
    );
    // A configurable dual-region: its data locations, not the EU continent.
    assert_eq!(countries(&r, "backups"), ["FI", "NL"]);
    assert!(!has(&r, "location-unknown", "backups"));
    // Single-country multi-regions are placed.
    assert_eq!(countries(&r, "media"), ["US"]);
    assert_eq!(countries(&r, "docs"), ["US"]);
    // Region set from a subnetwork known only after apply.
    assert!(unknown(&r, "cache").contains("`region` is computed at apply time"));
    // A zone → its region.
    assert_eq!(countries(&r, "disk"), ["BE"]);
    // A module's own provider block: region = var.region, passed by the
    // module call from the root variable analytics_region = europe-west4.
    assert_eq!(countries(&r, "module-events"), ["NL"]);
    let ev = evidence(&r, "copy-abroad", "module-events");
    assert!(
        ev[0].contains("(provider module.analytics:google `region`) -> gcp/europe-west4 -> NL"),
        "{ev:?}"
    );
    // The Cloud SQL user label residency-id links nothing here (no such entity `accounts-db`): a warning.
    assert!(
        unlisted(&r).is_empty(),
        "labelled storage is claimed: {:?}",
        unlisted(&r)
    );
    assert!(
        r["terraform"]["warnings"]
            .to_string()
            .contains("tagged residency-id = accounts-db"),
        "{}",
        r["terraform"]["warnings"]
    );
}

#[test]
fn azure_locations_are_normalised_and_cosmos_replicas_counted() {
    let r = with_plan(
        "databases:
  - {id: sql, terraform: [azurerm_mssql_server.main], personal_data: {}}
  - {id: accounts-db, location: {country: RU}, personal_data: {}}
  - {id: crm, terraform: [azurerm_mysql_flexible_server.crm], personal_data: {}}
  - {id: profiles, terraform: [azurerm_cosmosdb_account.profiles], personal_data: {}}
  - {id: sessions, role: cache, terraform: [azurerm_redis_cache.sessions], personal_data: {}}
  - {id: upload-store, terraform: [], personal_data: {}, location: {country: RU}}
",
        "azure.json",
    );
    // \"West Europe\" = westeurope (Netherlands).
    assert_eq!(countries(&r, "sql"), ["NL"]);
    // Linked by its residency-id tag; the declared RU no longer stands in.
    assert_eq!(countries(&r, "accounts-db"), ["DE"]);
    assert!(has(&r, "primary-outside-ru", "accounts-db"));
    assert!(has(&r, "location-mismatch", "accounts-db"));
    // Location from a data source read at apply time.
    assert!(unknown(&r, "crm").contains("`location` is computed at apply time"));
    assert_eq!(countries(&r, "profiles"), ["IE", "NL"]);
    assert_eq!(countries(&r, "sessions"), ["NL"]);
    // residency-id = uploads-store names no entity: unlisted, with a hint.
    let f = finding(&r, "unlisted-storage", "azurerm_storage_account.uploads").unwrap();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `upload-store`?"),
        "{}",
        f["message"]
    );
    assert_eq!(f["countries"], serde_json::json!(["IE"]));
}

#[test]
fn yandex_cloud_zones_and_the_kazakhstan_provider() {
    let r = with_plan(
        "databases:
  - {id: accounts-db, terraform: [], personal_data: {}}
  - {id: logs, role: log, terraform: [yandex_mdb_clickhouse_cluster.logs], personal_data: {}}
  - {id: crm, terraform: [yandex_mdb_mysql_cluster.crm], personal_data: {}}
  - {id: profiles, terraform: [yandex_mdb_mongodb_cluster.profiles], personal_data: {}}
  - {id: sessions, role: cache, terraform: [yandex_mdb_redis_cluster.sessions], personal_data: {}}
  - {id: events, terraform: [yandex_ydb_database_serverless.events], personal_data: {}}
  - {id: recordings, terraform: [yandex_storage_bucket.recordings], personal_data: {}}
  - {id: kz-exports, role: backup, terraform: [yandex_storage_bucket.kz_exports], personal_data: {}}
  - {id: disk, terraform: [yandex_compute_disk.data], personal_data: {}}
declarations: {cross_border_countries: [KZ]}
",
        "yandex.json",
    );
    // Linked by label; hosts in ru-central1-a and -b.
    assert_eq!(countries(&r, "accounts-db"), ["RU"]);
    assert!(
        !has(&r, "location-unknown", "accounts-db"),
        "the plan places it"
    );
    assert_eq!(countries(&r, "logs"), ["KZ"]);
    for id in ["crm", "profiles", "sessions", "events", "disk"] {
        assert_eq!(countries(&r, id), ["RU"], "{id}");
    }
    // No own location: the provider's zone ru-central1-a.
    assert_eq!(countries(&r, "recordings"), ["RU"]);
    // The aliased provider yandex.kz: region_id kz1.
    assert_eq!(countries(&r, "kz-exports"), ["KZ"]);
    let ev = evidence(&r, "copy-abroad", "kz-exports");
    assert_eq!(
        ev,
        [
            "yandex_storage_bucket.kz_exports (provider yandex.kz `region_id`) -> yandex/kz1 -> KZ (terraform:yandex_storage_bucket.kz_exports)"
        ]
    );
    assert!(!has(&r, "primary-outside-ru", "recordings"));
}

#[test]
fn vk_cloud_and_selectel() {
    let r = with_plan(
        "databases:
  - {id: accounts, terraform: [vkcs_db_instance.accounts], personal_data: {}}
  - {id: analytics, role: analytics, terraform: [vkcs_db_cluster.analytics], personal_data: {}}
  - {id: volume, terraform: [vkcs_blockstorage_volume.data], personal_data: {}}
",
        "vk.json",
    );
    // RegionOne, spelt as VK spells it; computed regions fall back to the provider's.
    for id in ["accounts", "analytics", "volume"] {
        assert_eq!(countries(&r, id), ["RU"], "{id}");
    }
    assert!(
        r["findings"].as_array().unwrap().is_empty(),
        "{:#}",
        r["findings"]
    );
    let r = with_plan(
        "databases:
  - {id: accounts, terraform: [selectel_dbaas_postgresql_datastore_v1.accounts], personal_data: {}}
  - {id: crm, terraform: [selectel_dbaas_mysql_datastore_v1.crm], personal_data: {}}
  - {id: cache, role: cache, terraform: [selectel_dbaas_redis_datastore_v1.cache], personal_data: {}}
  - {id: volume, terraform: [selectel_compute_volume_v3.data], personal_data: {}}
  - {id: events, terraform: ['module.events.selectel_dbaas_postgresql_datastore_v1.main'], personal_data: {}}
declarations: {cross_border_countries: [UZ]}
",
        "selectel.json",
    );
    for id in ["accounts", "crm", "volume", "events"] {
        assert_eq!(countries(&r, id), ["RU"], "{id}");
    }
    // The Tashkent pool is abroad.
    assert_eq!(countries(&r, "cache"), ["UZ"]);
    assert!(has(&r, "copy-abroad", "cache"));
}

#[test]
fn a_provider_without_a_region_is_unknown_never_russia() {
    // Strip the AWS provider's region: resources without their own
    // region attribute can no longer be placed.
    let text = std::fs::read_to_string(plan("aws.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["configuration"]["provider_config"]["aws"]
        .as_object_mut()
        .unwrap()
        .remove("expressions");
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\ndatabases:\n  - {id: search, terraform: [aws_opensearch_domain.search], personal_data: {}}\n",
        ),
        ("plan.json", &serde_json::to_string(&v).unwrap()),
    ]);
    let r = run_in(
        &inv.path(),
        &[
            "check",
            "inv",
            "--format",
            "json",
            "--terraform",
            "plan.json",
        ],
    );
    assert_eq!(r.code, 1, "location-unknown fails the gate: {}", r.stderr);
    let r = r.json();
    assert!(has(&r, "location-unknown", "search"));
    assert!(
        unknown(&r, "search").contains("provider aws sets no region in the configuration"),
        "{}",
        unknown(&r, "search")
    );
    assert!(countries(&r, "search").is_empty());
}

#[test]
fn positions_point_into_the_plan_even_on_one_line() {
    // Terraform writes the plan on one line; the fixture is indented.
    let text = std::fs::read_to_string(plan("aws.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let compact = serde_json::to_string(&v).unwrap();
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\ndatabases:\n  - {id: x, location: {country: RU}}\n",
        ),
        ("pretty.json", &text),
        ("compact.json", &compact),
    ]);
    for file in ["pretty.json", "compact.json"] {
        let r = run_in(
            &inv.path(),
            &[
                "check",
                "inv",
                "--offline",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--terraform",
                file,
            ],
        )
        .json();
        let f = finding(&r, "unlisted-storage", "aws_s3_bucket.exports").unwrap();
        assert_eq!(f["location"]["file"], file);
        let line = f["location"]["line"].as_u64().unwrap() as usize;
        let column = f["location"]["column"].as_u64().unwrap() as usize;
        let source = if file == "pretty.json" {
            &text
        } else {
            &compact
        };
        let at: String = source
            .lines()
            .nth(line - 1)
            .unwrap()
            .chars()
            .skip(column - 1)
            .collect();
        assert!(
            at.starts_with("\"address\": \"aws_s3_bucket.exports\"")
                || at.starts_with("\"address\":\"aws_s3_bucket.exports\""),
            "{file}:{line}:{column}: {}",
            &at[..at.len().min(60)]
        );
        // In resource_changes, not planned_values.
        let before: String = source.lines().take(line).collect::<Vec<_>>().join("\n");
        assert!(before.contains("\"resource_changes\""), "{file}");
    }
}

#[test]
fn terraform_addresses_are_validated_with_positions() {
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - id: a\n    terraform: [aws_db_instance, 'module.x.aws_s3_bucket.b[oops]', data.aws_region.current]\n  - id: b\n    terraform: [aws_s3_bucket.logs]\n  - id: c\n    terraform: [aws_s3_bucket.logs]\n",
    );
    let r = inv.check(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for e in [
        "./inventory.yaml:4:17: invalid Terraform address `aws_db_instance`",
        "./inventory.yaml:4:34: invalid Terraform address `module.x.aws_s3_bucket.b[oops]`: instance key `[oops]` must be a number or a quoted string",
        "`data.aws_region.current` is a data source",
        "./inventory.yaml:8:17: Terraform address `aws_s3_bucket.logs` is already claimed by `b` at ./inventory.yaml:6:17",
    ] {
        assert!(r.stderr.contains(e), "expected `{e}` in\n{}", r.stderr);
    }
    assert_eq!(r.stdout, "");
}

#[test]
fn unmatched_addresses_warn_with_a_hint() {
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - {id: a, location: {country: RU}, terraform: [aws_s3_bucket.export]}\n",
    );
    let r = inv.check(&[
        "--offline",
        "--terraform",
        &plan("aws.json"),
        "--fail-on",
        "never",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: ./inventory.yaml:3:50: `a` lists Terraform address `aws_s3_bucket.export`, which matches no resource of the plans"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `aws_s3_bucket.exports`?"),
        "{}",
        r.stderr
    );
    // The tag says personal data, the inventory says none: a warning, and no unlisted-storage.
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - {id: a, location: {country: RU}, terraform: [aws_s3_bucket.exports]}\n",
    );
    let r = inv.check(&[
        "--offline",
        "--format",
        "json",
        "--terraform",
        &plan("aws.json"),
        "--fail-on",
        "never",
    ]);
    assert!(
        r.stderr.contains("warning: ./inventory.yaml:3:5: `a` has no `personal_data`, but its resource `aws_s3_bucket.exports` is tagged personal-data = true"),
        "{}",
        r.stderr
    );
    assert!(finding(&r.json(), "unlisted-storage", "aws_s3_bucket.exports").is_none());
    // Without a plan, an entity known only through Terraform is unknown, and says why.
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - {id: a, personal_data: {}, terraform: [aws_s3_bucket.exports]}\n",
    );
    let r = inv.check_json(&["--offline"]);
    assert!(
        unknown(&r, "a").contains("placed only with --terraform PLAN.json"),
        "{}",
        unknown(&r, "a")
    );
}

#[test]
fn bad_plans_are_input_errors() {
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\ndatabases:\n  - {id: a, location: {country: RU}}\n",
        ),
        ("binary.tfplan", "PK\u{3}\u{4}rest of a zip"),
        (
            "broken.json",
            "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [\n",
        ),
        (
            "stream.json",
            "{\"@level\":\"info\",\"@message\":\"Terraform 1.9.8\",\"type\":\"version\"}\n{\"@level\":\"info\",\"@message\":\"Plan: 1 to add\",\"type\":\"change_summary\"}\n",
        ),
        (
            "shown.txt",
            "\nTerraform used the selected providers to generate the following execution\nplan.\n\n  # aws_s3_bucket.b will be created\n",
        ),
        (
            "errored.json",
            "{\"format_version\": \"1.2\", \"resource_changes\": [], \"errored\": true}",
        ),
        (
            "future.json",
            "{\"format_version\": \"2.0\", \"resource_changes\": []}",
        ),
        ("list.json", "[1, 2]"),
    ]);
    let cases = [
        (
            "binary.tfplan",
            "binary.tfplan: a binary plan file (the zip archive `terraform plan -out` writes), not its JSON form",
        ),
        (
            "broken.json",
            "broken.json:4:1: not valid JSON: EOF while parsing",
        ),
        (
            "stream.json",
            "stream.json:1:1: this is the output of `terraform plan -json` (a stream of UI events",
        ),
        (
            "stream.json",
            "`terraform plan -out=tfplan && terraform show -json tfplan > tfplan.json`",
        ),
        (
            "shown.txt",
            "shown.txt:1:1: this is the text output of `terraform plan` or `terraform show`",
        ),
        (
            "errored.json",
            "errored.json:1:51: Terraform reported errors while planning",
        ),
        (
            "future.json",
            "future.json:1:2: unsupported format_version 2.0",
        ),
        ("list.json", "list.json:1:1: not a Terraform plan"),
        ("missing.json", "missing.json: no such file"),
    ];
    for (file, expected) in cases {
        let r = run_in(&inv.path(), &["check", "inv", "--terraform", file]);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{file}");
        assert!(
            r.stderr.contains(expected),
            "{file}: expected `{expected}` in\n{}",
            r.stderr
        );
    }
    // Every bad input at once.
    let r = run_in(
        &inv.path(),
        &[
            "check",
            "inv",
            "--terraform",
            "stream.json",
            "--terraform",
            "list.json",
            "--baseline",
            "nope.json",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("3 problems in the inputs"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_example_database_moving_to_frankfurt_turns_the_gate_red() {
    let inv = example();
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--format",
            "json",
            "--output",
            "baseline.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        run_at(
            &inv,
            &["check", "inventory/", "--baseline", "baseline.json"]
        )
        .code,
        0,
        "green on the example's current state"
    );
    let plan_file = plan("accounts-to-frankfurt.json");
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "baseline.json",
            "--terraform",
            &plan_file,
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "red: {}", r.stderr);
    assert!(!r.stdout.contains("S3cr3t-from-tfvars") && !r.stderr.contains("S3cr3t-from-tfvars"));
    let j = r.json();
    let f = finding(&j, "primary-outside-ru", "accounts-db").expect("primary-outside-ru");
    assert_eq!(f["countries"], serde_json::json!(["DE"]));
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("aws_db_instance.accounts"), "{message}");
    assert!(message.contains("152-FZ art. 18 p. 5"), "{message}");
    assert!(
        f["message_ru"]
            .as_str()
            .unwrap()
            .contains("по плану Terraform: aws_db_instance.accounts")
    );
    assert!(
        f["evidence"].to_string().contains("aws_db_instance.accounts (`region`) -> aws/eu-central-1 -> DE (terraform:aws_db_instance.accounts)"),
        "{}",
        f["evidence"]
    );
    assert_eq!(
        failing(&j),
        [
            ("primary-outside-ru".to_string(), "accounts-db".to_string()),
            ("filing-outdated".to_string(), "accounts-db".to_string()),
            (
                "undeclared-cross-border".to_string(),
                "accounts-db".to_string()
            )
        ]
    );
    // The table an engineer reads in the CI log says the same.
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "baseline.json",
            "--terraform",
            &plan_file,
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("planned by Terraform: aws_db_instance.accounts"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("FAILED: 4 new findings: 1 critical, 2 high, 1 medium"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Terraform: "), "{}", r.stdout);
}

#[test]
fn unlisted_storage_can_be_waived_by_address_or_module() {
    let r = with_plan(
        "databases:\n  - {id: x, location: {country: RU}}\nwaivers:\n  - {rule: unlisted-storage, entity: module.logs, reason: Log bucket migrates into the inventory, approved_by: DPO, expires: 2027-01-31}\n  - {rule: unlisted-storage, entity: aws_s3_bucket.exports, reason: Being deleted in sprint 48, approved_by: DPO, expires: 2027-01-31}\n",
        "aws.json",
    );
    let waived: Vec<&str> = r["waived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["entity"].as_str().unwrap())
        .collect();
    assert_eq!(
        waived,
        ["aws_s3_bucket.exports", "module.logs.aws_s3_bucket.main"]
    );
    assert_eq!(unlisted(&r), ["aws_dynamodb_table.sessions"]);
    assert!(findings(&r).iter().all(|(rule, _)| rule != "waiver-unused"));
}

/// The storage resources of the report: address → (regions, unknown).
fn storage_places(r: &serde_json::Value) -> Vec<(String, Vec<String>, String)> {
    r["terraform"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| !x["storage"].is_null())
        .map(|x| {
            (
                x["address"].as_str().unwrap().to_string(),
                x["regions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
                x["unknown"].to_string(),
            )
        })
        .collect()
}

fn regions_of(r: &serde_json::Value, address: &str) -> Vec<String> {
    storage_places(r)
        .into_iter()
        .find(|(a, _, _)| a == address)
        .unwrap_or_else(|| {
            panic!(
                "{address} is not a storage resource of {:#}",
                r["terraform"]
            )
        })
        .1
}

fn unclassified(r: &serde_json::Value) -> Vec<String> {
    findings(r)
        .into_iter()
        .filter(|(rule, _)| rule == "unclassified-storage")
        .map(|(_, e)| e)
        .collect()
}

const RU_DB: &str = "databases:\n  - {id: users-db, role: primary, location: {country: RU}}\n";

#[test]
fn every_class_of_aws_storage_is_recognised_and_unclaimed_storage_abroad_fails_the_gate() {
    let r = with_plan(RU_DB, "aws-classes.json");
    for a in [
        "aws_sqs_queue.orders",
        "aws_sns_topic.signups",
        "aws_kinesis_stream.clicks",
        "aws_cloudwatch_log_group.api",
        "aws_backup_vault.main",
        "aws_instance.worker",
    ] {
        assert_eq!(regions_of(&r, a), ["aws/eu-central-1"], "{a}");
    }
    // The snapshot takes its volume's place (provider alias virginia).
    assert_eq!(regions_of(&r, "aws_ebs_snapshot.data"), ["aws/us-east-1"]);
    let un = unclassified(&r);
    assert_eq!(un.len(), 8, "{un:?}");
    // Tagged personal-data = false: decided, not reported.
    assert!(!un.contains(&"aws_s3_bucket.build_cache".to_string()));
    let f = finding(&r, "unclassified-storage", "aws_ebs_snapshot.data").unwrap();
    assert_eq!(f["severity"], "medium");
    assert!(
        f["evidence"][0].as_str().unwrap().contains(
            "`volume_id` → aws_ebs_volume.data (`availability_zone`)) -> aws/us-east-1 -> US"
        ),
        "{f:#}"
    );
    // A Terraform gate run with `--fail-on medium` (as the README's CI
    // section sets it) fails on it; the default threshold (high) lists it.
    let inv = Inv::one(&format!("{HEAD}{RU_DB}"));
    let gate = inv.check(&[
        "--offline",
        "--fail-on",
        "medium",
        "--terraform",
        &plan("aws-classes.json"),
    ]);
    assert_eq!(gate.code, 1, "{}", gate.stdout);
    assert!(
        gate.stdout.contains("unclassified-storage"),
        "{}",
        gate.stdout
    );
    let listed = inv.check(&["--offline", "--terraform", &plan("aws-classes.json")]);
    assert_eq!(listed.code, 0, "{}", listed.stdout);
    assert!(
        listed.stdout.contains("unclassified-storage"),
        "{}",
        listed.stdout
    );
}

#[test]
fn claimed_or_russian_storage_is_not_unclassified() {
    let r = with_plan(
        "databases:
  - {id: events, role: analytics, terraform: [aws_sqs_queue.orders, aws_sns_topic.signups, aws_kinesis_stream.clicks, aws_cloudwatch_log_group.api, aws_backup_vault.main, aws_ebs_volume.data, aws_ebs_snapshot.data, aws_instance.worker]}
",
        "aws-classes.json",
    );
    assert!(unclassified(&r).is_empty(), "{:?}", unclassified(&r));
    // Yandex Cloud, VK Cloud and Selectel storage in Russia: nothing to decide.
    let r = with_plan(RU_DB, "ru-classes.json");
    assert!(unclassified(&r).is_empty(), "{:?}", unclassified(&r));
    assert_eq!(
        regions_of(&r, "yandex_compute_snapshot.data"),
        ["yandex/ru-central1"]
    );
    assert_eq!(
        regions_of(&r, "vkcs_blockstorage_snapshot.data"),
        ["vk/regionone"]
    );
    assert_eq!(
        regions_of(&r, "selectel_dbaas_postgresql_database_v1.app"),
        ["selectel/ru-3"]
    );
    assert_eq!(
        regions_of(&r, "yandex_message_queue.jobs"),
        ["yandex/ru-central1"]
    );
}

#[test]
fn a_region_from_the_environment_is_said_exactly() {
    let r = with_plan(RU_DB, "aws-env-region.json");
    let (_, regions, unknown) = storage_places(&r).remove(0);
    assert!(regions.is_empty());
    assert!(
        unknown.contains("provider aws sets no region in the configuration: the provider takes it from the environment (the environment variable AWS_REGION or AWS_DEFAULT_REGION"),
        "{unknown}"
    );
    assert!(
        unknown.contains("which the plan does not record"),
        "{unknown}"
    );
    let f = finding(&r, "unclassified-storage", "aws_s3_bucket.exports").unwrap();
    assert!(
        f["message"].as_str().unwrap().contains("location unknown"),
        "{f:#}"
    );
}

#[test]
fn children_take_their_parents_place_and_geo_redundant_storage_its_pair() {
    let r = with_plan(RU_DB, "azure-children-grs.json");
    assert_eq!(
        regions_of(&r, "azurerm_mssql_database.app"),
        ["azure/westeurope"]
    );
    // RA-GRS in West Europe: also North Europe (the pair).
    assert_eq!(
        regions_of(&r, "module.files.azurerm_storage_account.files"),
        ["azure/northeurope", "azure/westeurope"]
    );
    // The share's account comes through a local value the plan does not
    // record: the module's only storage account, said so.
    assert_eq!(
        regions_of(&r, "module.files.azurerm_storage_share.docs"),
        ["azure/northeurope", "azure/westeurope"]
    );
    let f = finding(
        &r,
        "unclassified-storage",
        "module.files.azurerm_storage_share.docs",
    )
    .unwrap();
    let ev = f["evidence"].to_string();
    assert!(
        ev.contains("inferred: the only azurerm_storage_account of its module"),
        "{ev}"
    );
    assert!(
        ev.contains("`account_replication_type` = RAGRS: paired region of westeurope"),
        "{ev}"
    );
    // LRS: one region only.
    assert_eq!(
        regions_of(&r, "azurerm_storage_account.local"),
        ["azure/swedencentral"]
    );
    assert_eq!(
        regions_of(&r, "azurerm_log_analytics_workspace.logs"),
        ["azure/westeurope"]
    );
}

#[test]
fn google_snapshots_tables_topics_and_ml_datasets() {
    let r = with_plan(RU_DB, "gcp-classes.json");
    assert_eq!(
        regions_of(&r, "google_compute_snapshot.data"),
        ["gcp/europe-west1"]
    );
    assert_eq!(regions_of(&r, "google_bigquery_table.clicks"), ["gcp/us"]);
    assert_eq!(
        regions_of(&r, "google_pubsub_topic.signups"),
        ["gcp/europe-west3", "gcp/us-central1"]
    );
    assert_eq!(
        regions_of(&r, "google_vertex_ai_dataset.faces"),
        ["gcp/us-central1"]
    );
    assert_eq!(unclassified(&r).len(), 6);
}

#[test]
fn state_files_are_read_and_linked_like_plans() {
    let r = with_plan(RU_DB, "state-aws.json");
    let res = &r["terraform"]["resources"];
    assert_eq!(res.as_array().unwrap().len(), 3, "{res:#}");
    assert!(
        res.as_array()
            .unwrap()
            .iter()
            .all(|x| x["action"] == "in state")
    );
    // Placed by its ARN, linked by its residency-id tag.
    assert_eq!(regions_of(&r, "aws_db_instance.users"), ["aws/us-east-1"]);
    assert_eq!(countries(&r, "users-db"), ["US"]);
    assert!(findings(&r).contains(&("location-mismatch".to_string(), "users-db".to_string())));
    assert_eq!(regions_of(&r, "aws_s3_bucket.exports"), ["aws/eu-west-1"]);
    assert_eq!(
        regions_of(&r, "module.ru.yandex_mdb_postgresql_cluster.main"),
        ["yandex/ru-central1"]
    );
    assert_eq!(unclassified(&r), ["aws_s3_bucket.exports"]);
    assert_eq!(r["terraform"]["plans"][0]["resources"], 3);
}

#[test]
fn old_formats_short_provider_names_and_powershell_encodings() {
    for f in [
        "fv01-short-names.json",
        "utf8-bom.json",
        "utf16le.json",
        "utf16be.json",
    ] {
        let r = with_plan(RU_DB, f);
        assert_eq!(
            regions_of(&r, "aws_s3_bucket.logs"),
            ["aws/eu-west-3"],
            "{f}"
        );
    }
}

#[test]
fn warnings_quoting_a_plan_are_escaped() {
    // A tag value of the plan (outside input) reaches a warning on stderr:
    // its control characters are shown escaped, never passed to the terminal.
    let plan = r#"{"format_version": "1.2", "resource_changes": [
      {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
       "provider_name": "registry.terraform.io/hashicorp/aws",
       "change": {"actions": ["create"], "before": null,
                  "after": {"region": "eu-central-1",
                            "tags": {"residency-id": "ghost\u001b[2J\u0007"}},
                  "after_unknown": {}}}]}"#;
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\ndatabases:\n  - {id: a, location: {country: RU}, terraform: [aws_s3_bucket.b]}\n",
        ),
        ("plan.json", plan),
    ]);
    let r = run_at(
        &inv,
        &[
            "check",
            "inv",
            "--offline",
            "--terraform",
            "plan.json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning: plan.json"), "{}", r.stderr);
    assert!(r.stderr.contains("ghost\\x1b[2J\\x07"), "{}", r.stderr);
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{:?}",
        r.stderr
    );
}
