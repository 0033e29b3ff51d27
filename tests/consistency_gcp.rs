//! Google Cloud: one resource, several formats, one verdict. Each scenario
//! writes the same instance, database, cluster, node pool, bucket, key,
//! project policy, network, zone, log bucket, dataset, service, function or
//! key as a Terraform plan (`terraform show -json`: nulls, `after_unknown`,
//! the configuration), often as a Terraform state too, and as the Cloud
//! Asset Inventory export of what Google Cloud then holds (resource and IAM
//! policy content types). Every check named must give each document the
//! same status. Where a format cannot carry an input (a `google_project`
//! holds no IAM policy) the test asserts "indeterminate" and says why.

mod common;

use common::consistency::{verdicts};
use iso27017::model::Status;
use serde_json::{json, Value};

use Status::{Fail, Indeterminate as Unknown, NotApplicable, Pass};

fn agree(scenario: &str, kind: &str, docs: &[(&str, Value)], checks: &[(&str, Status)]) {
    let mut problems = Vec::new();
    for (doc, d) in docs {
        let v = verdicts(doc, d, kind);
        for (check, want) in checks {
            let got = v.get(*check).map_or(NotApplicable, |x| x.0);
            if got != *want {
                problems.push(format!("{scenario}: {doc}: {check} is {}, expected {}", got.as_str(), want.as_str()));
            }
        }
    }
    assert!(problems.is_empty(), "{} disagreement(s):\n{}", problems.len(), problems.join("\n"));
}

/// The checks of `checks` whose finding on the one `kind` in `doc` rests on a provider default.
fn defaulted(name: &str, doc: &Value, kind: &str, checks: &[&str]) -> Vec<String> {
    let v = verdicts(name, doc, kind);
    checks.iter().filter(|c| v.get(**c).is_some_and(|x| x.1)).map(|c| c.to_string()).collect()
}

// ---------------------------------------------------------------------------
// Scaffolding: Terraform plans and states, Cloud Asset Inventory assets.

fn change(address: &str, rtype: &str, after: Value, after_unknown: Value) -> Value {
    let name = address.rsplit('.').next().unwrap_or(address);
    json!({
        "address": address, "mode": "managed", "type": rtype, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/google",
        "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": after_unknown,
                   "before_sensitive": false, "after_sensitive": {}}
    })
}

fn config(address: &str, rtype: &str, expressions: Value) -> Value {
    let name = address.rsplit('.').next().unwrap_or(address);
    json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_config_key": "google", "expressions": expressions, "schema_version": 0})
}

fn plan(changes: Vec<Value>, configs: Vec<Value>) -> Value {
    let planned: Vec<Value> = changes
        .iter()
        .map(|c| json!({"address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"], "provider_name": c["provider_name"], "schema_version": 0, "values": c["change"]["after"], "sensitive_values": {}}))
        .collect();
    json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"provider_config": {"google": {"name": "google", "full_name": "registry.terraform.io/hashicorp/google"}}, "root_module": {"resources": configs}},
        "timestamp": "2026-12-07T10:00:00Z", "applyable": true, "complete": true, "errored": false
    })
}

/// `terraform show -json` of a state: the resources as they are.
fn state(resources: &[(&str, &str, Value)]) -> Value {
    let list: Vec<Value> = resources
        .iter()
        .map(|(address, rtype, values)| {
            let name = address.rsplit('.').next().unwrap_or(address);
            json!({"address": address, "mode": "managed", "type": rtype, "name": name, "provider_name": "registry.terraform.io/hashicorp/google", "schema_version": 0, "values": values, "sensitive_values": {}})
        })
        .collect();
    json!({"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": list}}})
}

/// A Cloud Asset Inventory export (NDJSON as `gcloud asset export` writes it):
/// a RESOURCE line, and an IAM_POLICY line when `iam` is given.
fn cai(name: &str, asset_type: &str, discovery: &str, data: Value, iam: Option<Value>) -> Value {
    let mut lines = vec![json!({
        "name": name, "asset_type": asset_type, "ancestors": ["projects/123456789012", "organizations/111111111111"],
        "resource": {"version": "v1", "discovery_document_uri": format!("https://www.googleapis.com/discovery/v1/apis/{discovery}/v1/rest"),
                     "discovery_name": asset_type.rsplit('/').next().unwrap_or(asset_type),
                     "parent": "//cloudresourcemanager.googleapis.com/projects/123456789012", "location": "europe-west1", "data": data},
        "update_time": "2026-12-06T08:00:00Z"
    })];
    if let Some(policy) = iam {
        lines.push(json!({"name": name, "asset_type": asset_type, "ancestors": ["projects/123456789012", "organizations/111111111111"], "iam_policy": policy, "update_time": "2026-12-06T08:00:00Z"}));
    }
    Value::Array(lines)
}

// ---------------------------------------------------------------------------
// Compute Engine instances.

fn instance(hardened: bool) -> Vec<(&'static str, Value)> {
    let sa = if hardened { "app@acme-prod.iam.gserviceaccount.com" } else { "123456789012-compute@developer.gserviceaccount.com" };
    let md = if hardened { json!({"block-project-ssh-keys": "TRUE", "enable-oslogin": "TRUE"}) } else { json!({"serial-port-enable": "TRUE"}) };
    let key = if hardened { json!("projects/acme-prod/locations/europe-west1/keyRings/vm/cryptoKeys/disks") } else { Value::Null };
    let after = json!({
        "name": "web-1", "zone": "europe-west1-b", "machine_type": "n2d-standard-2", "project": "acme-prod",
        "can_ip_forward": !hardened, "deletion_protection": false, "metadata": md,
        "boot_disk": [{"auto_delete": true, "disk_encryption_key_raw": null, "kms_key_self_link": key, "initialize_params": [{"image": "debian-cloud/debian-12"}]}],
        "network_interface": [{"network": "prod-vpc", "access_config": if hardened { json!([]) } else { json!([{"nat_ip": null}]) }}],
        "service_account": [{"email": sa, "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
        "shielded_instance_config": [{"enable_secure_boot": hardened, "enable_vtpm": hardened, "enable_integrity_monitoring": hardened}],
        "confidential_instance_config": if hardened { json!([{"enable_confidential_compute": true}]) } else { json!([]) }
    });
    let unknown = json!({"id": true, "instance_id": true, "self_link": true, "boot_disk": [{"device_name": true, "disk_encryption_key_sha256": true, "source": true, "initialize_params": [{"labels": true, "size": true, "type": true}]}],
        "network_interface": [{"network_ip": true, "subnetwork": true, "access_config": if hardened { json!([]) } else { json!([{"nat_ip": true, "network_tier": true}]) }}]});
    let mut expr = json!({"name": {"constant_value": "web-1"}, "machine_type": {"constant_value": "n2d-standard-2"}});
    if hardened {
        expr["boot_disk"] = json!([{"kms_key_self_link": {"references": ["google_kms_crypto_key.disks.id", "google_kms_crypto_key.disks"]}}]);
    }
    let tf = plan(vec![change("google_compute_instance.web", "google_compute_instance", after.clone(), unknown)], vec![config("google_compute_instance.web", "google_compute_instance", expr)]);
    let mut live = after;
    live["id"] = json!("projects/acme-prod/zones/europe-west1-b/instances/web-1");
    let st = state(&[("google_compute_instance.web", "google_compute_instance", live)]);
    let mut items = vec![];
    for (k, v) in md.as_object().into_iter().flatten() {
        items.push(json!({"key": k, "value": v}));
    }
    let mut disk = json!({"boot": true, "autoDelete": true, "deviceName": "persistent-disk-0", "source": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b/disks/web-1", "type": "PERSISTENT"});
    if hardened {
        disk["diskEncryptionKey"] = json!({"kmsKeyName": "projects/acme-prod/locations/europe-west1/keyRings/vm/cryptoKeys/disks/cryptoKeyVersions/1"});
    }
    let mut nic = json!({"name": "nic0", "network": "https://www.googleapis.com/compute/v1/projects/acme-prod/global/networks/prod-vpc", "networkIP": "10.0.0.5"});
    if !hardened {
        nic["accessConfigs"] = json!([{"kind": "compute#accessConfig", "name": "External NAT", "natIP": "203.0.113.7", "type": "ONE_TO_ONE_NAT"}]);
    }
    let mut data = json!({
        "id": "4567", "name": "web-1", "status": "RUNNING", "zone": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b",
        "machineType": "https://www.googleapis.com/compute/v1/projects/acme-prod/zones/europe-west1-b/machineTypes/n2d-standard-2",
        "canIpForward": !hardened, "disks": [disk], "networkInterfaces": [nic], "metadata": {"fingerprint": "abc=", "items": items},
        "serviceAccounts": [{"email": sa, "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}],
        "shieldedInstanceConfig": {"enableSecureBoot": hardened, "enableVtpm": hardened, "enableIntegrityMonitoring": hardened}
    });
    if hardened {
        data["confidentialInstanceConfig"] = json!({"enableConfidentialCompute": true});
    }
    let asset = cai("//compute.googleapis.com/projects/acme-prod/zones/europe-west1-b/instances/web-1", "compute.googleapis.com/Instance", "compute", data, None);
    vec![("instance.tfplan.json", tf), ("instance.tfstate.json", st), ("instance.cai.json", asset)]
}

#[test]
fn compute_instances_are_judged_alike_in_every_format() {
    let all = |s: Status, f: Status| {
        vec![
            ("vm_secure_boot_enabled", s),
            ("gcp_instance_vtpm_enabled", s),
            ("gcp_instance_integrity_monitoring_enabled", s),
            ("gcp_instance_ip_forwarding_disabled", s),
            ("gcp_instance_project_ssh_keys_blocked", s),
            ("gcp_instance_confidential_computing", s),
            ("gcp_instance_no_default_service_account", s),
            ("gcp_instance_no_default_sa_full_access", s),
            ("gcp_instance_serial_port_disabled", s),
            ("gcp_instance_boot_disk_cmek", s),
            ("vm_no_public_ip", s),
            ("vm_disk_encrypted", Pass),
            ("gcp_instance_os_login_enabled", f),
        ]
    };
    agree("hardened instance", "virtual_machine", &instance(true), &all(Pass, Pass));
    // OS Login left out of the instance may be on in the project's metadata, which no format here shows.
    agree("instance with the defaults", "virtual_machine", &instance(false), &all(Fail, Unknown));
}

// ---------------------------------------------------------------------------
// Cloud SQL.

fn sql(version: &str, flags: &[(&str, &str)], hardened: bool) -> Vec<(&'static str, Value)> {
    let tf_flags: Vec<Value> = flags.iter().map(|(n, v)| json!({"name": n, "value": v})).collect();
    let nets = if hardened { json!([]) } else { json!([{"name": "anywhere", "value": "0.0.0.0/0", "expiration_time": ""}]) };
    let after = json!({
        "name": "db-1", "region": "europe-west1", "project": "acme-prod", "database_version": version, "deletion_protection": true,
        "encryption_key_name": if hardened { json!("projects/acme-prod/locations/europe-west1/keyRings/db/cryptoKeys/sql") } else { Value::Null },
        "settings": [{
            "tier": "db-custom-2-7680", "availability_type": "REGIONAL", "database_flags": tf_flags,
            "ip_configuration": [{"ipv4_enabled": !hardened, "private_network": if hardened { json!("projects/acme-prod/global/networks/prod-vpc") } else { Value::Null },
                                  "ssl_mode": if hardened { "ENCRYPTED_ONLY" } else { "ALLOW_UNENCRYPTED_AND_ENCRYPTED" }, "authorized_networks": nets}],
            "backup_configuration": [{"enabled": hardened, "point_in_time_recovery_enabled": hardened && !version.starts_with("MYSQL"), "binary_log_enabled": hardened && version.starts_with("MYSQL"), "start_time": "03:00"}]
        }]
    });
    let unknown = json!({"connection_name": true, "ip_address": true, "self_link": true, "service_account_email_address": true, "settings": [{"version": true, "disk_size": true}]});
    let tf = plan(vec![change("google_sql_database_instance.db", "google_sql_database_instance", after, unknown)], vec![config("google_sql_database_instance.db", "google_sql_database_instance", json!({"name": {"constant_value": "db-1"}}))]);
    let data_flags: Vec<Value> = flags.iter().map(|(n, v)| json!({"name": n, "value": v})).collect();
    let mut settings = json!({
        "tier": "db-custom-2-7680", "availabilityType": "REGIONAL", "kind": "sql#settings",
        "ipConfiguration": {"ipv4Enabled": !hardened, "sslMode": if hardened { "ENCRYPTED_ONLY" } else { "ALLOW_UNENCRYPTED_AND_ENCRYPTED" },
                            "authorizedNetworks": if hardened { json!([]) } else { json!([{"kind": "sql#aclEntry", "name": "anywhere", "value": "0.0.0.0/0"}]) }},
        "backupConfiguration": {"enabled": hardened, "kind": "sql#backupConfiguration", "startTime": "03:00",
                                "pointInTimeRecoveryEnabled": hardened && !version.starts_with("MYSQL"), "binaryLogEnabled": hardened && version.starts_with("MYSQL")},
        "deletionProtectionEnabled": true
    });
    if !flags.is_empty() {
        settings["databaseFlags"] = Value::Array(data_flags);
    }
    let mut data = json!({"name": "db-1", "project": "acme-prod", "region": "europe-west1", "databaseVersion": version, "backendType": "SECOND_GEN", "state": "RUNNABLE", "settings": settings});
    if hardened {
        data["diskEncryptionConfiguration"] = json!({"kmsKeyName": "projects/acme-prod/locations/europe-west1/keyRings/db/cryptoKeys/sql", "kind": "sql#diskEncryptionConfiguration"});
    }
    let asset = cai("//cloudsql.googleapis.com/projects/acme-prod/instances/db-1", "sqladmin.googleapis.com/Instance", "sqladmin", data, None);
    vec![("sql.tfplan.json", tf), ("sql.cai.json", asset)]
}

#[test]
fn cloud_sql_instances_are_judged_alike_in_every_format() {
    let general = |s: Status| {
        vec![
            ("gcp_sql_no_public_ip", s),
            ("gcp_sql_automated_backups", s),
            ("gcp_sql_point_in_time_recovery", s),
            ("gcp_sql_cmek", s),
            ("database_require_tls", s),
            ("database_not_publicly_accessible", s),
            ("database_encrypted_at_rest", Pass),
        ]
    };
    let pg_on = [("log_connections", "on"), ("log_disconnections", "on"), ("cloudsql.enable_pgaudit", "on"), ("log_min_duration_statement", "-1")];
    let mut checks = general(Pass);
    checks.extend([
        ("gcp_sql_postgres_log_connections", Pass),
        ("gcp_sql_postgres_log_disconnections", Pass),
        ("gcp_sql_postgres_pgaudit_enabled", Pass),
        ("gcp_sql_postgres_log_min_duration_disabled", Pass),
        ("gcp_sql_mysql_local_infile_off", NotApplicable),
        ("gcp_sql_sqlserver_remote_access_off", NotApplicable),
    ]);
    agree("hardened PostgreSQL", "database", &sql("POSTGRES_16", &pg_on, true), &checks);
    let mut checks = general(Fail);
    checks.extend([
        ("gcp_sql_postgres_log_connections", Fail),
        ("gcp_sql_postgres_log_disconnections", Fail),
        ("gcp_sql_postgres_pgaudit_enabled", Fail),
        ("gcp_sql_postgres_log_min_duration_disabled", Pass),
    ]);
    agree("PostgreSQL with no flags, open to the internet", "database", &sql("POSTGRES_16", &[], false), &checks);
    let mut checks = general(Pass);
    checks.extend([("gcp_sql_mysql_local_infile_off", Pass), ("gcp_sql_mysql_skip_show_database_on", Pass), ("gcp_sql_postgres_log_connections", NotApplicable)]);
    agree("hardened MySQL", "database", &sql("MYSQL_8_0", &[("local_infile", "off"), ("skip_show_database", "on")], true), &checks);
    // A public address with no authorized network open to everyone is not "publicly accessible"
    // (only the Auth Proxy and listed networks reach it), in the plan as in the export.
    let mut docs = sql("POSTGRES_16", &pg_on, true);
    docs[0].1["resource_changes"][0]["change"]["after"]["settings"][0]["ip_configuration"][0]["ipv4_enabled"] = json!(true);
    docs[1].1[0]["resource"]["data"]["settings"]["ipConfiguration"]["ipv4Enabled"] = json!(true);
    agree("PostgreSQL with a public IP and no authorized networks", "database", &docs, &[("database_not_publicly_accessible", Pass), ("gcp_sql_no_public_ip", Fail)]);
    agree(
        "MySQL with local_infile on",
        "database",
        &sql("MYSQL_8_0", &[("local_infile", "on")], true),
        &[("gcp_sql_mysql_local_infile_off", Fail), ("gcp_sql_mysql_skip_show_database_on", Fail)],
    );
    agree(
        "SQL Server left to its defaults",
        "database",
        &sql("SQLSERVER_2022_STANDARD", &[], true),
        &[
            ("gcp_sql_sqlserver_contained_db_auth_off", Pass),
            ("gcp_sql_sqlserver_cross_db_ownership_off", Pass),
            ("gcp_sql_sqlserver_external_scripts_off", Pass),
            ("gcp_sql_sqlserver_remote_access_off", Fail),
            ("gcp_sql_postgres_pgaudit_enabled", NotApplicable),
        ],
    );
    agree(
        "SQL Server with risky flags",
        "database",
        &sql("SQLSERVER_2022_STANDARD", &[("contained database authentication", "on"), ("cross db ownership chaining", "on"), ("external scripts enabled", "on"), ("remote access", "off")], true),
        &[
            ("gcp_sql_sqlserver_contained_db_auth_off", Fail),
            ("gcp_sql_sqlserver_cross_db_ownership_off", Fail),
            ("gcp_sql_sqlserver_external_scripts_off", Fail),
            ("gcp_sql_sqlserver_remote_access_off", Pass),
        ],
    );
}

// ---------------------------------------------------------------------------
// GKE clusters and node pools.

fn gke(hardened: bool) -> Vec<(&'static str, Value)> {
    let h = hardened;
    let after = json!({
        "name": "apps", "location": "europe-west1", "project": "acme-prod", "initial_node_count": 1, "remove_default_node_pool": true,
        "enable_legacy_abac": false, "enable_shielded_nodes": h, "enable_intranode_visibility": h,
        "logging_service": "logging.googleapis.com/kubernetes",
        "workload_identity_config": if h { json!([{"workload_pool": "acme-prod.svc.id.goog"}]) } else { json!([]) },
        "binary_authorization": if h { json!([{"enabled": null, "evaluation_mode": "PROJECT_SINGLETON_POLICY_ENFORCE"}]) } else { json!([]) },
        "private_cluster_config": [{"enable_private_nodes": h, "enable_private_endpoint": false, "master_ipv4_cidr_block": "172.16.0.0/28"}],
        "release_channel": [{"channel": if h { "STABLE" } else { "UNSPECIFIED" }}],
        "database_encryption": [{"state": if h { "ENCRYPTED" } else { "DECRYPTED" }, "key_name": if h { "projects/acme-prod/locations/europe-west1/keyRings/gke/cryptoKeys/etcd" } else { "" }}],
        "master_auth": [{"client_certificate_config": [{"issue_client_certificate": !h}]}]
    });
    let unknown = json!({"endpoint": true, "id": true, "self_link": true, "master_auth": [{"client_certificate": true, "client_key": true, "cluster_ca_certificate": true}],
        "private_cluster_config": [{"peering_name": true, "private_endpoint": true, "public_endpoint": true}], "master_authorized_networks_config": true, "network_policy": true});
    let tf = plan(vec![change("google_container_cluster.apps", "google_container_cluster", after, unknown)], vec![config("google_container_cluster.apps", "google_container_cluster", json!({"name": {"constant_value": "apps"}}))]);
    let data = json!({
        "name": "apps", "location": "europe-west1", "status": "RUNNING", "endpoint": "203.0.113.10", "currentMasterVersion": "1.30.5-gke.1014001",
        "loggingService": "logging.googleapis.com/kubernetes", "legacyAbac": {},
        "workloadIdentityConfig": if h { json!({"workloadPool": "acme-prod.svc.id.goog"}) } else { json!({}) },
        "shieldedNodes": {"enabled": h},
        "binaryAuthorization": if h { json!({"evaluationMode": "PROJECT_SINGLETON_POLICY_ENFORCE"}) } else { json!({}) },
        "privateClusterConfig": {"enablePrivateNodes": h, "masterIpv4CidrBlock": "172.16.0.0/28", "privateEndpoint": "172.16.0.2", "publicEndpoint": "203.0.113.10"},
        "releaseChannel": if h { json!({"channel": "STABLE"}) } else { json!({}) },
        "networkConfig": {"network": "projects/acme-prod/global/networks/prod-vpc", "enableIntraNodeVisibility": h, "datapathProvider": "LEGACY_DATAPATH"},
        "databaseEncryption": if h { json!({"state": "ENCRYPTED", "keyName": "projects/acme-prod/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"}) } else { json!({"state": "DECRYPTED"}) },
        "masterAuth": if h { json!({"clusterCaCertificate": "LS0t"}) } else { json!({"clusterCaCertificate": "LS0t", "clientCertificateConfig": {"issueClientCertificate": true}, "clientCertificate": "LS0t"}) }
    });
    let asset = cai("//container.googleapis.com/projects/acme-prod/locations/europe-west1/clusters/apps", "container.googleapis.com/Cluster", "container", data, None);
    vec![("gke.tfplan.json", tf), ("gke.cai.json", asset)]
}

fn node_pool(hardened: bool) -> Vec<(&'static str, Value)> {
    let h = hardened;
    let sa = if h { "gke-nodes@acme-prod.iam.gserviceaccount.com" } else { "default" };
    let after = json!({
        "name": "pool-1", "cluster": "apps", "location": "europe-west1", "project": "acme-prod", "node_count": 3,
        "management": [{"auto_repair": h, "auto_upgrade": h}],
        "node_config": [{"machine_type": "e2-standard-4", "image_type": if h { "COS_CONTAINERD" } else { "UBUNTU_CONTAINERD" }, "service_account": sa,
            "metadata": {"disable-legacy-endpoints": if h { "true" } else { "false" }},
            "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
            "shielded_instance_config": [{"enable_secure_boot": h, "enable_integrity_monitoring": h}]}]
    });
    let unknown = json!({"id": true, "instance_group_urls": true, "node_config": [{"labels": true, "disk_size_gb": true}]});
    let tf = plan(
        vec![change("google_container_node_pool.pool", "google_container_node_pool", after, unknown)],
        vec![config("google_container_node_pool.pool", "google_container_node_pool", json!({"name": {"constant_value": "pool-1"}, "cluster": {"references": ["google_container_cluster.apps.id", "google_container_cluster.apps"]}}))],
    );
    let mut config_data = json!({"machineType": "e2-standard-4", "imageType": if h { "COS_CONTAINERD" } else { "UBUNTU_CONTAINERD" },
        "metadata": {"disable-legacy-endpoints": if h { "true" } else { "false" }}, "oauthScopes": ["https://www.googleapis.com/auth/cloud-platform"],
        "shieldedInstanceConfig": {"enableSecureBoot": h, "enableIntegrityMonitoring": h}});
    if h {
        config_data["serviceAccount"] = json!(sa);
    }
    let data = json!({"name": "pool-1", "config": config_data, "initialNodeCount": 3, "status": "RUNNING", "version": "1.30.5-gke.1014001",
        "management": if h { json!({"autoUpgrade": true, "autoRepair": true}) } else { json!({}) }});
    let asset = cai("//container.googleapis.com/projects/acme-prod/locations/europe-west1/clusters/apps/nodePools/pool-1", "container.googleapis.com/NodePool", "container", data, None);
    vec![("pool.tfplan.json", tf), ("pool.cai.json", asset)]
}

#[test]
fn gke_clusters_and_node_pools_are_judged_alike_in_every_format() {
    let cluster = |s: Status| {
        vec![
            ("gke_workload_identity", s),
            ("gke_shielded_nodes", s),
            ("gke_binary_authorization", s),
            ("gke_private_nodes", s),
            ("gke_release_channel", s),
            ("gke_intranode_visibility", s),
            ("gke_secrets_encryption_kms", s),
            ("gke_no_client_certificate", s),
            ("k8s_cluster_rbac_enabled", Pass),
        ]
    };
    agree("hardened GKE cluster", "k8s_cluster", &gke(true), &cluster(Pass));
    agree("GKE cluster with weak settings", "k8s_cluster", &gke(false), &cluster(Fail));
    let pool = |s: Status| {
        vec![
            ("gke_node_pool_auto_upgrade", s),
            ("gke_node_pool_auto_repair", s),
            ("gke_node_pool_cos_image", s),
            ("gke_node_pool_secure_boot", s),
            ("gke_node_pool_integrity_monitoring", s),
            ("gke_node_pool_legacy_metadata_disabled", s),
            ("gke_node_pool_no_default_service_account", s),
        ]
    };
    agree("hardened node pool", "k8s_node_pool", &node_pool(true), &pool(Pass));
    agree("node pool with weak settings", "k8s_node_pool", &node_pool(false), &pool(Fail));
}

/// A node pool the plan leaves to GKE: the plan's findings rest on GKE's documented defaults.
#[test]
fn a_planned_node_pool_left_to_gke_rests_on_its_defaults() {
    let after = json!({"name": "pool-2", "cluster": "apps", "location": "europe-west1", "node_count": 1, "node_config": [{"machine_type": "e2-standard-4", "service_account": "gke-nodes@acme-prod.iam.gserviceaccount.com"}]});
    let unknown = json!({"id": true, "management": true, "node_config": [{"image_type": true, "metadata": true, "shielded_instance_config": true}]});
    let tf = plan(
        vec![change("google_container_node_pool.p2", "google_container_node_pool", after, unknown)],
        vec![config("google_container_node_pool.p2", "google_container_node_pool", json!({"name": {"constant_value": "pool-2"}, "node_config": [{"machine_type": {"constant_value": "e2-standard-4"}}]}))],
    );
    let checks = ["gke_node_pool_auto_upgrade", "gke_node_pool_auto_repair", "gke_node_pool_cos_image", "gke_node_pool_legacy_metadata_disabled"];
    let v = verdicts("p2.tfplan.json", &tf, "k8s_node_pool");
    for c in checks {
        assert_eq!(v.get(c).map(|x| x.0), Some(Pass), "{c}");
    }
    assert_eq!(defaulted("p2.tfplan.json", &tf, "k8s_node_pool", &checks), checks.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    assert_eq!(v.get("gke_node_pool_secure_boot").map(|x| x.0), Some(Unknown), "the shielded config is known after apply");
}

// ---------------------------------------------------------------------------
// Cloud Storage buckets.

fn bucket(public: bool) -> Vec<(&'static str, Value)> {
    let after = json!({"name": "acme-data", "location": "EUROPE-WEST1", "project": "acme-prod", "force_destroy": false, "storage_class": "STANDARD",
        "encryption": [], "logging": [], "retention_policy": [], "versioning": []});
    let unknown = json!({"id": true, "self_link": true, "url": true, "uniform_bucket_level_access": true, "public_access_prevention": true, "encryption": [], "versioning": []});
    let mut changes = vec![change("google_storage_bucket.data", "google_storage_bucket", after, unknown)];
    let mut configs = vec![config("google_storage_bucket.data", "google_storage_bucket", json!({"name": {"constant_value": "acme-data"}, "location": {"constant_value": "EUROPE-WEST1"}}))];
    let mut bindings = vec![json!({"role": "roles/storage.objectAdmin", "members": ["serviceAccount:app@acme-prod.iam.gserviceaccount.com"]})];
    if public {
        changes.push(change("google_storage_bucket_iam_member.public", "google_storage_bucket_iam_member", json!({"role": "roles/storage.objectViewer", "member": "allUsers", "condition": []}), json!({"bucket": true, "etag": true, "id": true})));
        configs.push(config("google_storage_bucket_iam_member.public", "google_storage_bucket_iam_member", json!({"bucket": {"references": ["google_storage_bucket.data.name", "google_storage_bucket.data"]}, "role": {"constant_value": "roles/storage.objectViewer"}, "member": {"constant_value": "allUsers"}})));
        bindings.push(json!({"role": "roles/storage.objectViewer", "members": ["allUsers"]}));
    } else {
        changes.push(change("google_storage_bucket_iam_member.app", "google_storage_bucket_iam_member", json!({"role": "roles/storage.objectAdmin", "member": "serviceAccount:app@acme-prod.iam.gserviceaccount.com", "condition": []}), json!({"bucket": true, "etag": true, "id": true})));
        configs.push(config("google_storage_bucket_iam_member.app", "google_storage_bucket_iam_member", json!({"bucket": {"references": ["google_storage_bucket.data.name", "google_storage_bucket.data"]}})));
    }
    let tf = plan(changes, configs);
    // What Cloud Storage then holds: the REST representation of a bucket created with its defaults.
    let data = json!({"kind": "storage#bucket", "id": "acme-data", "name": "acme-data", "projectNumber": "123456789012", "location": "EUROPE-WEST1", "storageClass": "STANDARD",
        "iamConfiguration": {"bucketPolicyOnly": {"enabled": false}, "uniformBucketLevelAccess": {"enabled": false}, "publicAccessPrevention": "inherited"},
        "timeCreated": "2026-12-07T10:05:00Z", "updated": "2026-12-07T10:05:00Z", "etag": "CAE="});
    let asset = cai("//storage.googleapis.com/acme-data", "storage.googleapis.com/Bucket", "storage", data, Some(json!({"bindings": bindings, "etag": "CAE="})));
    vec![("bucket.tfplan.json", tf), ("bucket.cai.json", asset)]
}

#[test]
fn buckets_left_to_cloud_storage_defaults_are_judged_alike() {
    let checks = |public: Status| {
        vec![
            ("gcs_uniform_bucket_access", Fail),
            ("object_bucket_public_access_blocked", Fail),
            ("object_bucket_versioning", Fail),
            ("object_bucket_retention_lock", Fail),
            ("object_bucket_access_logging", Fail),
            ("gcs_bucket_cmek", Fail),
            ("object_storage_encrypted_at_rest", Pass),
            ("object_storage_not_public", public),
        ]
    };
    agree("bucket with Cloud Storage's defaults", "object_bucket", &bucket(false), &checks(Pass));
    agree("bucket readable by allUsers", "object_bucket", &bucket(true), &checks(Fail));
    // The plan leaves these to Cloud Storage: its findings say so.
    let (name, tf) = bucket(false).remove(0);
    let d = defaulted(name, &tf, "object_bucket", &["gcs_uniform_bucket_access", "object_bucket_public_access_blocked", "object_bucket_versioning"]);
    assert_eq!(d.len(), 3, "{d:?}");
}

// ---------------------------------------------------------------------------
// KMS keys (with a key IAM grant), project IAM policies.

fn kms(public: bool) -> Vec<(&'static str, Value)> {
    let after = json!({"name": "sql", "rotation_period": "7776000s", "purpose": "ENCRYPT_DECRYPT", "destroy_scheduled_duration": "86400s",
        "version_template": [{"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protection_level": "HSM"}]});
    let member = if public { "allAuthenticatedUsers" } else { "serviceAccount:service-123456789012@gcp-sa-cloud-sql.iam.gserviceaccount.com" };
    let tf = plan(
        vec![
            change("google_kms_crypto_key.sql", "google_kms_crypto_key", after, json!({"id": true, "key_ring": true, "primary": true})),
            change("google_kms_crypto_key_iam_member.use", "google_kms_crypto_key_iam_member", json!({"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "member": member, "condition": []}), json!({"crypto_key_id": true, "etag": true, "id": true})),
        ],
        vec![
            config("google_kms_crypto_key.sql", "google_kms_crypto_key", json!({"name": {"constant_value": "sql"}, "key_ring": {"references": ["google_kms_key_ring.db.id", "google_kms_key_ring.db"]}})),
            config("google_kms_crypto_key_iam_member.use", "google_kms_crypto_key_iam_member", json!({"crypto_key_id": {"references": ["google_kms_crypto_key.sql.id", "google_kms_crypto_key.sql"]}})),
        ],
    );
    let data = json!({"name": "projects/acme-prod/locations/europe-west1/keyRings/db/cryptoKeys/sql", "purpose": "ENCRYPT_DECRYPT", "rotationPeriod": "7776000s", "nextRotationTime": "2027-03-07T10:00:00Z",
        "primary": {"name": "projects/acme-prod/locations/europe-west1/keyRings/db/cryptoKeys/sql/cryptoKeyVersions/1", "state": "ENABLED", "protectionLevel": "HSM", "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION"},
        "versionTemplate": {"protectionLevel": "HSM", "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION"}});
    let asset = cai("//cloudkms.googleapis.com/projects/acme-prod/locations/europe-west1/keyRings/db/cryptoKeys/sql", "cloudkms.googleapis.com/CryptoKey", "cloudkms", data,
        Some(json!({"bindings": [{"role": "roles/cloudkms.cryptoKeyEncrypterDecrypter", "members": [member]}], "etag": "BwX="})));
    vec![("kms.tfplan.json", tf), ("kms.cai.json", asset)]
}

#[test]
fn kms_keys_are_judged_alike_in_every_format() {
    let checks = |public: Status| vec![("kms_key_rotation_enabled", Pass), ("gcp_kms_key_rotation_90_days", Pass), ("gcp_kms_key_hsm_protection", Pass), ("gcp_kms_key_not_public", public)];
    agree("HSM key used by Cloud SQL", "kms_key", &kms(false), &checks(Pass));
    agree("HSM key granted to allAuthenticatedUsers", "kms_key", &kms(true), &checks(Fail));
}

/// A project's IAM policy: authoritative in Terraform (`google_project_iam_policy`) and
/// exported whole by Cloud Asset Inventory.
fn project_policy(bindings: Value) -> Vec<(&'static str, Value)> {
    let policy_data = json!({"bindings": bindings}).to_string();
    let tf = plan(
        vec![
            change("google_project.prod", "google_project", json!({"project_id": "acme-prod", "name": "Acme prod", "org_id": "111111111111", "auto_create_network": false, "billing_account": "012345-6789AB-CDEF01"}), json!({"id": true, "number": true})),
            change("google_project_iam_policy.prod", "google_project_iam_policy", json!({"project": "acme-prod", "policy_data": policy_data}), json!({"etag": true, "id": true})),
        ],
        vec![
            config("google_project.prod", "google_project", json!({"project_id": {"constant_value": "acme-prod"}})),
            config("google_project_iam_policy.prod", "google_project_iam_policy", json!({"project": {"references": ["google_project.prod.project_id", "google_project.prod"]}, "policy_data": {"references": ["data.google_iam_policy.prod.policy_data", "data.google_iam_policy.prod"]}})),
        ],
    );
    let data = json!({"projectNumber": "123456789012", "projectId": "acme-prod", "lifecycleState": "ACTIVE", "name": "Acme prod", "parent": {"type": "organization", "id": "111111111111"}});
    let mut lines = cai("//cloudresourcemanager.googleapis.com/projects/123456789012", "cloudresourcemanager.googleapis.com/Project", "cloudresourcemanager", data, Some(json!({"bindings": bindings, "version": 1, "etag": "BwY="})));
    if let Some(l) = lines.as_array_mut().and_then(|a| a.first_mut()) {
        l["ancestors"] = json!(["projects/123456789012", "organizations/111111111111"]);
    }
    vec![("project.tfplan.json", tf), ("project.cai.json", lines)]
}

const PROJECT_CHECKS: [&str; 7] = [
    "gcp_iam_no_basic_roles_for_people",
    "gcp_iam_service_accounts_not_owner_editor",
    "gcp_iam_default_compute_sa_not_editor",
    "gcp_iam_no_project_service_account_user",
    "gcp_iam_no_project_token_creator",
    "gcp_project_no_public_members",
    "gcp_iam_no_foreign_service_accounts",
];

#[test]
fn project_iam_policies_are_judged_alike_in_every_format() {
    let clean = json!([{"role": "roles/owner", "members": ["group:platform-admins@acme.example"]}, {"role": "roles/viewer", "members": ["group:engineers@acme.example"]},
                       {"role": "roles/container.developer", "members": ["serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"]}]);
    let mut checks: Vec<(&str, Status)> = PROJECT_CHECKS.iter().map(|c| (*c, Pass)).collect();
    checks[0].1 = Fail; // Owner to a group of people
    agree("project with Owner for an admin group", "project", &project_policy(clean), &checks);
    let clean = json!([{"role": "roles/resourcemanager.projectIamAdmin", "members": ["group:platform-admins@acme.example"]}, {"role": "roles/viewer", "members": ["group:engineers@acme.example"]}]);
    let all_pass: Vec<(&str, Status)> = PROJECT_CHECKS.iter().map(|c| (*c, Pass)).collect();
    agree("project with predefined roles only", "project", &project_policy(clean), &all_pass);
    let risky = json!([
        {"role": "roles/editor", "members": ["serviceAccount:123456789012-compute@developer.gserviceaccount.com", "user:dev@acme.example"]},
        {"role": "roles/iam.serviceAccountUser", "members": ["user:dev@acme.example"]},
        {"role": "roles/iam.serviceAccountTokenCreator", "members": ["serviceAccount:ci@tools-prod.iam.gserviceaccount.com"]},
        {"role": "roles/browser", "members": ["allAuthenticatedUsers"]}
    ]);
    let all_fail: Vec<(&str, Status)> = PROJECT_CHECKS.iter().map(|c| (*c, Fail)).collect();
    agree("project with every risky grant", "project", &project_policy(risky), &all_fail);
}

/// A `google_project` with additive grants only: a grant seen still fails, but the absence of one
/// is not a pass (the rest of the policy is not in the plan), where the CAI export shows it all.
#[test]
fn a_project_whose_policy_terraform_does_not_hold_is_not_passed_by_silence() {
    let tf = plan(
        vec![
            change("google_project.prod", "google_project", json!({"project_id": "acme-prod", "name": "Acme prod", "org_id": "111111111111"}), json!({"id": true, "number": true})),
            change("google_project_iam_member.dev", "google_project_iam_member", json!({"project": "acme-prod", "role": "roles/editor", "member": "user:dev@acme.example", "condition": []}), json!({"etag": true, "id": true})),
        ],
        vec![config("google_project.prod", "google_project", json!({})), config("google_project_iam_member.dev", "google_project_iam_member", json!({"project": {"references": ["google_project.prod.project_id", "google_project.prod"]}}))],
    );
    let v = verdicts("members.tfplan.json", &tf, "project");
    assert_eq!(v["gcp_iam_no_basic_roles_for_people"].0, Fail);
    assert_eq!(v["gcp_iam_no_project_token_creator"].0, Unknown);
    assert_eq!(v["gcp_project_no_public_members"].0, Unknown);
    // A grant whose project is not in the file is judged on its own.
    let lone = plan(
        vec![change("google_project_iam_member.ci", "google_project_iam_member", json!({"project": "acme-prod", "role": "roles/iam.serviceAccountTokenCreator", "member": "serviceAccount:ci@tools-prod.iam.gserviceaccount.com", "condition": []}), json!({"etag": true, "id": true}))],
        vec![config("google_project_iam_member.ci", "google_project_iam_member", json!({"project": {"constant_value": "acme-prod"}}))],
    );
    let v = verdicts("lone.tfplan.json", &lone, "iam_binding");
    assert_eq!(v["gcp_iam_no_project_token_creator"].0, Fail);
    assert_eq!(v["gcp_iam_no_basic_roles_for_people"].0, Pass);
    assert_eq!(v["gcp_iam_no_foreign_service_accounts"].0, Fail, "tools-prod's account is granted a role in acme-prod");
}

// ---------------------------------------------------------------------------
// Networks, DNS, logging, BigQuery, Cloud Run, Cloud Functions, service account keys.

#[test]
fn networks_and_zones_are_judged_alike_in_every_format() {
    let net = |name: &str| {
        let tf = plan(
            vec![change("google_compute_network.n", "google_compute_network", json!({"name": name, "auto_create_subnetworks": name == "default", "routing_mode": "REGIONAL", "project": "acme-prod"}), json!({"id": true, "gateway_ipv4": true, "self_link": true}))],
            vec![config("google_compute_network.n", "google_compute_network", json!({"name": {"constant_value": name}}))],
        );
        let asset = cai(&format!("//compute.googleapis.com/projects/acme-prod/global/networks/{name}"), "compute.googleapis.com/Network", "compute",
            json!({"name": name, "autoCreateSubnetworks": name == "default", "routingConfig": {"routingMode": "REGIONAL"}, "selfLink": format!("https://www.googleapis.com/compute/v1/projects/acme-prod/global/networks/{name}")}), None);
        vec![("net.tfplan.json", tf), ("net.cai.json", asset)]
    };
    agree("custom network", "vpc_network", &net("prod-vpc"), &[("gcp_vpc_not_default_network", Pass), ("gcp_vpc_no_legacy_network", Pass)]);
    agree("default network", "vpc_network", &net("default"), &[("gcp_vpc_not_default_network", Fail)]);

    let subnet = |on: bool| {
        let tf = plan(
            vec![change("google_compute_subnetwork.s", "google_compute_subnetwork", json!({"name": "apps", "region": "europe-west1", "ip_cidr_range": "10.0.0.0/20", "private_ip_google_access": on,
                "log_config": if on { json!([{"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 0.5, "metadata": "INCLUDE_ALL_METADATA"}]) } else { json!([]) }}), json!({"id": true, "network": true, "gateway_address": true}))],
            vec![config("google_compute_subnetwork.s", "google_compute_subnetwork", json!({"name": {"constant_value": "apps"}}))],
        );
        let mut data = json!({"name": "apps", "region": "europe-west1", "ipCidrRange": "10.0.0.0/20", "privateIpGoogleAccess": on});
        if on {
            data["logConfig"] = json!({"enable": true, "aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 0.5, "metadata": "INCLUDE_ALL_METADATA"});
        }
        vec![("subnet.tfplan.json", tf), ("subnet.cai.json", cai("//compute.googleapis.com/projects/acme-prod/regions/europe-west1/subnetworks/apps", "compute.googleapis.com/Subnetwork", "compute", data, None))]
    };
    let s = |x: Status| vec![("gcp_subnet_private_google_access", x), ("network_flow_logs_enabled", x)];
    agree("subnet with flow logs and Private Google Access", "network", &subnet(true), &s(Pass));
    agree("subnet without either", "network", &subnet(false), &s(Fail));

    let zone = |signed: bool, alg: &str| {
        let specs = json!([{"algorithm": alg, "key_length": 2048, "key_type": "keySigning", "kind": "dns#dnsKeySpec"}, {"algorithm": alg, "key_length": 1024, "key_type": "zoneSigning", "kind": "dns#dnsKeySpec"}]);
        let tf = plan(
            vec![change("google_dns_managed_zone.z", "google_dns_managed_zone", json!({"name": "acme", "dns_name": "acme.example.", "visibility": "public",
                "dnssec_config": [{"state": if signed { "on" } else { "off" }, "non_existence": "nsec3", "default_key_specs": if signed { specs.clone() } else { json!([]) }}]}), json!({"id": true, "name_servers": true, "managed_zone_id": true}))],
            vec![config("google_dns_managed_zone.z", "google_dns_managed_zone", json!({"name": {"constant_value": "acme"}}))],
        );
        let mut data = json!({"name": "acme", "dnsName": "acme.example.", "visibility": "public", "nameServers": ["ns-cloud-a1.googledomains.com."]});
        if signed {
            data["dnssecConfig"] = json!({"state": "on", "nonExistence": "nsec3", "defaultKeySpecs": [{"algorithm": alg, "keyLength": 2048, "keyType": "keySigning"}, {"algorithm": alg, "keyLength": 1024, "keyType": "zoneSigning"}]});
        }
        vec![("zone.tfplan.json", tf), ("zone.cai.json", cai("//dns.googleapis.com/projects/acme-prod/managedZones/acme", "dns.googleapis.com/ManagedZone", "dns", data, None))]
    };
    agree("zone signed with RSASHA256", "dns_zone", &zone(true, "rsasha256"), &[("gcp_dns_dnssec_enabled", Pass), ("gcp_dns_no_rsasha1", Pass)]);
    agree("zone signed with RSASHA1", "dns_zone", &zone(true, "rsasha1"), &[("gcp_dns_dnssec_enabled", Pass), ("gcp_dns_no_rsasha1", Fail)]);
    agree("unsigned zone", "dns_zone", &zone(false, "rsasha256"), &[("gcp_dns_dnssec_enabled", Fail), ("gcp_dns_no_rsasha1", Pass)]);
}

#[test]
fn log_buckets_datasets_services_functions_and_keys_are_judged_alike() {
    let log = |locked: bool, days: u32| {
        let tf = plan(
            vec![change("google_logging_project_bucket_config.audit", "google_logging_project_bucket_config", json!({"project": "acme-prod", "location": "global", "bucket_id": "audit", "retention_days": days, "locked": locked}), json!({"id": true, "name": true, "lifecycle_state": true}))],
            vec![config("google_logging_project_bucket_config.audit", "google_logging_project_bucket_config", json!({"bucket_id": {"constant_value": "audit"}}))],
        );
        let asset = cai("//logging.googleapis.com/projects/acme-prod/locations/global/buckets/audit", "logging.googleapis.com/LogBucket", "logging",
            json!({"name": "projects/acme-prod/locations/global/buckets/audit", "retentionDays": days, "locked": locked, "lifecycleState": "ACTIVE"}), None);
        vec![("log.tfplan.json", tf), ("log.cai.json", asset)]
    };
    agree("locked audit bucket", "log_bucket", &log(true, 400), &[("gcp_log_bucket_retention_locked", Pass), ("gcp_log_bucket_retention_365_days", Pass)]);
    agree("30-day unlocked bucket", "log_bucket", &log(false, 30), &[("gcp_log_bucket_retention_locked", Fail), ("gcp_log_bucket_retention_365_days", Fail)]);

    let dataset = |public: bool, cmek: bool| {
        let mut access = vec![json!({"role": "OWNER", "special_group": "projectOwners", "user_by_email": "", "group_by_email": "", "domain": "", "iam_member": "", "view": [], "dataset": [], "routine": []})];
        let mut entries = vec![json!({"role": "OWNER", "specialGroup": "projectOwners"})];
        if public {
            access.push(json!({"role": "READER", "special_group": "allAuthenticatedUsers", "user_by_email": "", "group_by_email": "", "domain": "", "iam_member": "", "view": [], "dataset": [], "routine": []}));
            entries.push(json!({"role": "READER", "specialGroup": "allAuthenticatedUsers"}));
        }
        let key = "projects/acme-prod/locations/eu/keyRings/bq/cryptoKeys/bq";
        let tf = plan(
            vec![change("google_bigquery_dataset.sales", "google_bigquery_dataset", json!({"dataset_id": "sales", "location": "EU", "project": "acme-prod", "access": access,
                "default_encryption_configuration": if cmek { json!([{"kms_key_name": key}]) } else { json!([]) }}), json!({"id": true, "etag": true, "self_link": true, "creation_time": true}))],
            vec![config("google_bigquery_dataset.sales", "google_bigquery_dataset", json!({"dataset_id": {"constant_value": "sales"}}))],
        );
        let mut data = json!({"kind": "bigquery#dataset", "id": "acme-prod:sales", "datasetReference": {"datasetId": "sales", "projectId": "acme-prod"}, "location": "EU", "access": entries});
        if cmek {
            data["defaultEncryptionConfiguration"] = json!({"kmsKeyName": key});
        }
        vec![("bq.tfplan.json", tf), ("bq.cai.json", cai("//bigquery.googleapis.com/projects/acme-prod/datasets/sales", "bigquery.googleapis.com/Dataset", "bigquery", data, None))]
    };
    agree("private dataset with CMEK", "dataset", &dataset(false, true), &[("gcp_bigquery_dataset_not_public", Pass), ("gcp_bigquery_dataset_cmek", Pass)]);
    agree("dataset shared with allAuthenticatedUsers", "dataset", &dataset(true, false), &[("gcp_bigquery_dataset_not_public", Fail), ("gcp_bigquery_dataset_cmek", Fail)]);

    let served = |rtype: &str, iam_type: &str, attr: &str, asset_type: &str, asset_name: &str, member: &str, role: &str| {
        let tf = plan(
            vec![
                change(&format!("{rtype}.api"), rtype, json!({"name": "api", "location": "europe-west1", "project": "acme-prod"}), json!({"id": true, "uri": true})),
                change(&format!("{iam_type}.invoker"), iam_type, json!({"role": role, "member": member, "location": "europe-west1", "project": "acme-prod", "condition": []}), json!({attr: true, "etag": true, "id": true})),
            ],
            vec![
                config(&format!("{rtype}.api"), rtype, json!({"name": {"constant_value": "api"}})),
                config(&format!("{iam_type}.invoker"), iam_type, json!({attr: {"references": [format!("{rtype}.api.name"), format!("{rtype}.api")]}})),
            ],
        );
        let asset = cai(asset_name, asset_type, "run", json!({"name": "api"}), Some(json!({"bindings": [{"role": role, "members": [member]}]})));
        vec![("svc.tfplan.json", tf), ("svc.cai.json", asset)]
    };
    for (member, want) in [("allUsers", Fail), ("serviceAccount:frontend@acme-prod.iam.gserviceaccount.com", Pass)] {
        agree("Cloud Run service", "serverless_service",
            &served("google_cloud_run_v2_service", "google_cloud_run_v2_service_iam_member", "name", "run.googleapis.com/Service", "//run.googleapis.com/projects/acme-prod/locations/europe-west1/services/api", member, "roles/run.invoker"),
            &[("gcp_cloud_run_not_public", want)]);
        agree("Cloud Function", "function",
            &served("google_cloudfunctions2_function", "google_cloudfunctions2_function_iam_member", "cloud_function", "cloudfunctions.googleapis.com/Function", "//cloudfunctions.googleapis.com/projects/acme-prod/locations/europe-west1/functions/api", member, "roles/cloudfunctions.invoker"),
            &[("gcp_cloud_function_not_public", want)]);
    }

    let tf = plan(
        vec![change("google_service_account_key.ci", "google_service_account_key", json!({"service_account_id": "projects/acme-prod/serviceAccounts/ci@acme-prod.iam.gserviceaccount.com", "key_algorithm": "KEY_ALG_RSA_2048", "private_key_type": "TYPE_GOOGLE_CREDENTIALS_FILE", "public_key_type": "TYPE_X509_PEM_FILE"}), json!({"id": true, "name": true, "private_key": true, "public_key": true, "valid_after": true, "valid_before": true}))],
        vec![config("google_service_account_key.ci", "google_service_account_key", json!({}))],
    );
    let key = |t: &str| cai(&format!("//iam.googleapis.com/projects/acme-prod/serviceAccounts/ci@acme-prod.iam.gserviceaccount.com/keys/{t}"), "iam.googleapis.com/ServiceAccountKey", "iam",
        json!({"name": format!("projects/acme-prod/serviceAccounts/ci@acme-prod.iam.gserviceaccount.com/keys/{t}"), "keyAlgorithm": "KEY_ALG_RSA_2048", "keyOrigin": "GOOGLE_PROVIDED", "keyType": t, "validAfterTime": "2026-01-01T00:00:00Z", "validBeforeTime": "9999-12-31T23:59:59Z"}), None);
    agree("user-managed key", "service_account_key", &[("key.tfplan.json", tf), ("key.cai.json", key("USER_MANAGED"))], &[("gcp_service_account_no_user_managed_keys", Fail)]);
    agree("Google-managed key", "service_account_key", &[("key.cai.json", key("SYSTEM_MANAGED"))], &[("gcp_service_account_no_user_managed_keys", Pass)]);
}

/// An organization sink exporting everything, next to the project it covers.
#[test]
fn projects_covered_by_an_aggregated_sink_are_judged_alike() {
    let docs = |filter: &str| {
        let tf = plan(
            vec![
                change("google_project.prod", "google_project", json!({"project_id": "acme-prod", "name": "Acme prod", "org_id": "111111111111"}), json!({"id": true, "number": true})),
                change("google_logging_organization_sink.all", "google_logging_organization_sink", json!({"name": "all-logs", "org_id": "111111111111", "include_children": true, "filter": filter,
                    "destination": "storage.googleapis.com/acme-audit-logs", "disabled": false, "exclusions": []}), json!({"id": true, "writer_identity": true})),
            ],
            vec![config("google_project.prod", "google_project", json!({})), config("google_logging_organization_sink.all", "google_logging_organization_sink", json!({"name": {"constant_value": "all-logs"}}))],
        );
        let mut lines = cai("//cloudresourcemanager.googleapis.com/projects/123456789012", "cloudresourcemanager.googleapis.com/Project", "cloudresourcemanager",
            json!({"projectNumber": "123456789012", "projectId": "acme-prod", "lifecycleState": "ACTIVE"}), None);
        let mut sink_data = json!({"name": "all-logs", "destination": "storage.googleapis.com/acme-audit-logs", "includeChildren": true, "writerIdentity": "serviceAccount:o111-222@gcp-sa-logging.iam.gserviceaccount.com"});
        if !filter.is_empty() {
            sink_data["filter"] = json!(filter);
        }
        let sink = cai("//logging.googleapis.com/organizations/111111111111/sinks/all-logs", "logging.googleapis.com/LogSink", "logging", sink_data, None);
        if let (Some(a), Some(b)) = (lines.as_array_mut(), sink.as_array()) {
            a.extend(b.iter().cloned());
        }
        vec![("sink.tfplan.json", tf), ("sink.cai.json", lines)]
    };
    agree("organization sink with no filter", "project", &docs(""), &[("gcp_project_log_sink_all_entries", Pass)]);
    agree("organization sink for errors only", "project", &docs("severity>=ERROR"), &[("gcp_project_log_sink_all_entries", Fail)]);
}
