//! Kubernetes workload hardening: the facts the parser states for each
//! container, pod, RBAC binding, service account, NetworkPolicy, Namespace and
//! LimitRange (`docs/inventory.md`), read from real manifests in
//! `tests/fixtures/ingest/k8s/` (see SOURCES.md there), and the verdicts of
//! the checks on named resources, joins across files included.

use iso27017::checks::{Context, RuleSet};
use iso27017::engine::{self, Assessment};
use iso27017::ingest::Limits;
use iso27017::inventory::Prop;
use iso27017::model::Status::{self, Fail, Indeterminate, Pass};
use serde_json::json;

mod common;
use common::{from_str, load, res, val};

fn read(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/ingest/k8s/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Assess the fixtures together (one inventory, as the CLI and the app do).
fn assess(names: &[&str]) -> Assessment {
    let inputs: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), read(n))).collect();
    engine::assess_files(inputs, &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1))
}

/// The status of `check` on the resource whose id is `id`.
fn verdict(a: &Assessment, check: &str, id: &str) -> Status {
    let found: Vec<_> = a.findings.iter().filter(|f| f.check.as_str() == check && f.resource.id == id).collect();
    assert_eq!(found.len(), 1, "{check} on {id}: {:?}", a.findings.iter().filter(|f| f.check.as_str() == check).map(|f| f.resource.id.clone()).collect::<Vec<_>>());
    found[0].status
}

fn expect(a: &Assessment, rows: &[(&str, &str, Status)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|(check, id, want)| {
            let got = verdict(a, check, id);
            (got != *want).then(|| format!("{check} on {id}: expected {}, got {}", want.as_str(), got.as_str()))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn containers_carry_resolved_security_context_facts() {
    let p = load("k8s", "shop_hardened_and_weak.yaml");
    let web = "shop/Deployment/web/containers/web";
    // Pod-level runAsUser and seccomp inherited by the container.
    assert_eq!(val(&p, web, "run_as_user"), json!(10001));
    assert_eq!(val(&p, web, "run_as_non_root"), json!(true));
    assert_eq!(val(&p, web, "seccomp_profile"), json!("RuntimeDefault"));
    assert_eq!(res(&p, web).prop("seccomp_profile").map(|p| p.pointer().text().into_owned()), Some("/4/spec/template/spec/securityContext/seccompProfile/type".into()));
    assert_eq!(val(&p, web, "capabilities_drop"), json!(["ALL"]));
    assert_eq!(val(&p, web, "image_tag"), json!("1.4.2"));
    assert!(val(&p, web, "image_digest").as_str().is_some_and(|d| d.starts_with("sha256:")));
    assert_eq!(val(&p, web, "image_pull_policy"), json!("IfNotPresent"));
    assert_eq!(val(&p, web, "memory_limit"), json!("256Mi"));
    assert_eq!(val(&p, web, "allow_privilege_escalation"), json!(false));
    assert_eq!(val(&p, web, "namespace"), json!("shop"));
    assert_eq!(val(&p, web, "container_type"), json!("container"));
    // The container resource points at the container, with its own line.
    assert_eq!(res(&p, web).source.pointer, "/4/spec/template/spec/containers/0");
    assert!(res(&p, web).source.line.unwrap_or(0) > res(&p, "shop/Deployment/web").source.line.unwrap_or(0));

    let app = "shop/Deployment/legacy/containers/app";
    assert_eq!(val(&p, app, "run_as_user"), json!(null), "neither pod nor container sets it: the image decides");
    assert_eq!(val(&p, app, "run_as_non_root"), json!(false));
    assert_eq!(val(&p, app, "seccomp_profile"), json!(null));
    assert_eq!(val(&p, app, "apparmor_profile"), json!("Unconfined"), "from the legacy annotation");
    assert_eq!(val(&p, app, "capabilities_add"), json!(["SYS_ADMIN"]), "CAP_ prefix removed");
    assert_eq!(val(&p, app, "allow_privilege_escalation"), json!(true));
    assert_eq!(val(&p, app, "proc_mount"), json!("Unmasked"));
    assert_eq!(val(&p, app, "host_ports"), json!([8080]));
    assert_eq!(val(&p, app, "image_tag"), json!("latest"));
    assert_eq!(val(&p, app, "image_pull_policy"), json!("Always"), "the API server's default for :latest");
    assert_eq!(val(&p, app, "memory_limit"), json!(null));
    assert_eq!(val(&p, app, "env_literal_secrets"), json!(["API_TOKEN"]), "TOKEN_TTL=3600 is a setting, not a secret");
    assert_eq!(val(&p, app, "env_secret_refs"), json!(["DB_PASSWORD"]));
    assert_eq!(val(&p, app, "read_only_root_filesystem"), json!(false));

    let setup = "shop/Deployment/legacy/initContainers/setup";
    assert_eq!(val(&p, setup, "container_type"), json!("init"));
    assert_eq!(val(&p, setup, "run_as_user"), json!(0));
    assert_eq!(val(&p, setup, "capabilities_add"), json!(["NET_RAW"]));
    assert_eq!(val(&p, setup, "image_tag"), json!(null));

    assert_eq!(val(&p, "shop/Deployment/legacy", "sysctls"), json!(["kernel.msgmax"]));
    assert_eq!(val(&p, "shop/Deployment/legacy", "service_account_name"), json!("default"));
    assert_eq!(val(&p, "shop/Deployment/web", "pod_labels"), json!({"app": "web"}));
}

#[test]
fn cluster_objects_carry_their_facts() {
    let p = load("k8s", "shop_hardened_and_weak.yaml");
    assert_eq!(res(&p, "Namespace/shop").kind, "k8s_namespace");
    assert_eq!(val(&p, "Namespace/shop", "pod_security_enforce"), json!("restricted"));
    assert_eq!(val(&p, "shop/ServiceAccount/web", "automount_service_account_token"), json!(false));
    assert_eq!(val(&p, "shop/NetworkPolicy/web-ingress", "policy_types"), json!(["Ingress"]), "defaulted: Ingress only, no egress rules");
    assert_eq!(val(&p, "shop/LimitRange/defaults", "default_cpu_limit"), json!("500m"));
    assert_eq!(val(&p, "shop/LimitRange/defaults", "default_memory_limit"), json!(null));
    assert_eq!(val(&p, "ClusterRoleBinding/everyone-views", "broad_subjects"), json!(["Group/system:authenticated"]));
    assert_eq!(val(&p, "ClusterRoleBinding/everyone-views", "role_ref"), json!("ClusterRole/view"));
    assert_eq!(val(&p, "ClusterRole/secret-reader", "secrets_verbs"), json!(["get", "list"]));
    assert_eq!(val(&p, "ClusterRole/secret-reader", "escalation_verbs"), json!(["impersonate"]));
    assert_eq!(val(&p, "ClusterRole/secret-reader", "exec_access"), json!(["create pods/exec", "get pods/exec"]));
    assert_eq!(val(&p, "shop/ConfigMap/legacy-config", "secret_like_keys"), json!(["SMTP_PASSWORD"]));
    let agg = res(&p, "ClusterRole/monitoring");
    assert!(matches!(agg.prop("wildcard_verbs"), Some(Prop::Unknown { .. })), "an aggregated role's rules are the cluster's");
}

#[test]
fn hardened_workload_passes_and_weak_one_fails() {
    let a = assess(&["shop_hardened_and_weak.yaml"]);
    let web = "shop/Deployment/web/containers/web";
    let app = "shop/Deployment/legacy/containers/app";
    let setup = "shop/Deployment/legacy/initContainers/setup";
    expect(
        &a,
        &[
            ("k8s_container_read_only_root_filesystem", web, Pass),
            ("k8s_container_read_only_root_filesystem", app, Fail),
            ("k8s_container_drops_all_capabilities", web, Pass),
            ("k8s_container_drops_all_capabilities", app, Fail),
            ("k8s_container_no_net_raw", web, Pass),
            ("k8s_container_no_net_raw", setup, Fail),
            ("k8s_container_no_sys_admin", web, Pass),
            ("k8s_container_no_sys_admin", app, Fail),
            ("k8s_container_seccomp_profile", web, Pass),
            ("k8s_container_seccomp_profile", app, Fail),
            ("k8s_container_apparmor_not_unconfined", web, Pass),
            ("k8s_container_apparmor_not_unconfined", app, Fail),
            ("k8s_container_no_host_port", web, Pass),
            ("k8s_container_no_host_port", app, Fail),
            ("k8s_container_image_tag_pinned", web, Pass),
            ("k8s_container_image_tag_pinned", app, Fail),
            ("k8s_container_image_tag_pinned", setup, Fail),
            ("k8s_container_image_digest", web, Pass),
            ("k8s_container_image_digest", app, Fail),
            ("k8s_container_pull_policy_always", web, Pass),
            ("k8s_container_pull_policy_always", app, Pass),
            ("k8s_container_memory_limit", web, Pass),
            ("k8s_container_memory_limit", app, Fail),
            ("k8s_container_cpu_limit", app, Pass), // the LimitRange default
            ("k8s_container_no_secret_literals_in_env", web, Pass),
            ("k8s_container_no_secret_literals_in_env", app, Fail),
            ("k8s_container_secrets_not_in_env", web, Pass),
            ("k8s_container_secrets_not_in_env", app, Fail),
            ("k8s_container_proc_mount_default", web, Pass),
            ("k8s_container_proc_mount_default", app, Fail),
            ("k8s_container_no_windows_host_process", app, Pass),
            ("k8s_container_high_uid", web, Pass),
            ("k8s_container_high_uid", app, Fail),
            ("k8s_container_high_uid", setup, Fail),
            ("k8s_workload_no_service_account_token", "shop/Deployment/web", Pass),
            ("k8s_workload_no_service_account_token", "shop/Deployment/legacy", Fail),
            ("k8s_workload_network_policy", "shop/Deployment/web", Pass),
            ("k8s_workload_network_policy", "shop/Deployment/legacy", Fail),
            ("k8s_workload_not_default_namespace", "shop/Deployment/web", Pass),
            ("k8s_workload_dedicated_service_account", "shop/Deployment/web", Pass),
            ("k8s_workload_dedicated_service_account", "shop/Deployment/legacy", Fail),
            ("k8s_workload_safe_sysctls", "shop/Deployment/web", Pass),
            ("k8s_workload_safe_sysctls", "shop/Deployment/legacy", Fail),
            ("k8s_namespace_pod_security_enforced", "Namespace/shop", Pass),
            ("k8s_rbac_no_broad_subject_binding", "ClusterRoleBinding/everyone-views", Fail),
            ("k8s_rbac_no_cluster_admin_binding", "ClusterRoleBinding/everyone-views", Pass),
            ("k8s_rbac_no_secret_read", "ClusterRole/secret-reader", Fail),
            ("k8s_config_map_no_secrets", "shop/ConfigMap/legacy-config", Fail),
            ("k8s_config_map_no_secrets", "shop/ConfigMap/web-config", Pass),
            ("k8s_rbac_no_escalation_verbs", "ClusterRole/secret-reader", Fail),
            ("k8s_rbac_no_pod_exec", "ClusterRole/secret-reader", Fail),
            ("k8s_rbac_no_escalation_verbs", "ClusterRole/monitoring", Indeterminate),
            // The workload-level checks keep their meaning.
            ("k8s_no_root_containers", "shop/Deployment/web", Pass),
            ("k8s_no_root_containers", "shop/Deployment/legacy", Fail),
        ],
    );
}

#[test]
fn checkov_fixtures_give_checkov_verdicts() {
    let one = |name: &str| assess(&[name]);
    let rofs = "k8s_container_read_only_root_filesystem";
    expect(&one("checkov_ReadOnlyFilesystem_frontend-replicaset-FAILED.yaml"), &[(rofs, "default/ReplicaSet/frontend/containers/php-redis", Fail)]);
    expect(&one("checkov_ReadOnlyFilesystem_pod-readonly-PASSED.yaml"), &[(rofs, "default/Pod/readonly-container/containers/readonly-container", Pass)]);
    let sc = "k8s_container_seccomp_profile";
    // checkov passes the legacy pod annotation docker/default; current
    // Kubernetes ignores it, so the cluster's version decides.
    expect(&one("checkov_Seccomp_pod-seccomp-PASSED.yaml"), &[(sc, "default/Pod/seccomp-passed/containers/sec-ctx-demo", Indeterminate)]);
    expect(&one("checkov_Seccomp_pod-seccomp-FAILED.yaml"), &[(sc, "default/Pod/seccomp-failed/containers/sec-ctx-demo", Fail)]);
    let cron = one("checkov_Seccomp_cronjob-seccomp-securityContext-PASSED.yaml");
    let c = "default/CronJob/cronjob-securityContext-passed/containers/test-job0";
    expect(
        &cron,
        &[
            (sc, c, Pass),
            ("k8s_container_drops_all_capabilities", c, Pass), // `drop: [all]`, compared without case
            ("k8s_container_memory_limit", c, Pass),
            ("k8s_container_cpu_limit", c, Pass),
            ("k8s_container_read_only_root_filesystem", c, Pass),
            ("k8s_container_high_uid", c, Fail), // runAsUser 1000
        ],
    );
    expect(&one("checkov_RbacBindRoleBindings_clusterrole-failed-1.yaml"), &[("k8s_rbac_no_escalation_verbs", "ClusterRole/test-should-fail-1", Fail)]);
    expect(&one("checkov_RbacBindRoleBindings_role-passed-2.yaml"), &[("k8s_rbac_no_escalation_verbs", "test/Role/test-should-pass-2", Pass), ("k8s_rbac_no_pod_exec", "test/Role/test-should-pass-2", Pass)]);
    expect(&one("checkov_AllowedCapabilitiesSysAdmin_pod-FAILED.yaml"), &[("k8s_container_no_sys_admin", "default/Pod/security-context-demo-1/containers/sec-ctx-1", Fail)]);
    // checkov fails a StatefulSet without a namespace; the namespace is the
    // one it is applied to, which the manifest cannot show.
    expect(&one("checkov_DefaultNamespace_nginx-statefulset-FAILED.yaml"), &[("k8s_workload_not_default_namespace", "default/StatefulSet/web", Indeterminate)]);
    let sa = "k8s_workload_no_service_account_token";
    let failed = one("checkov_ServiceAccountTokensFAILED.yaml");
    expect(&failed, &[(sa, "default/Pod/pod1", Fail), (sa, "default/Pod/pod2", Fail)]);
    expect(&one("checkov_ServiceAccountTokensPASSED.yaml"), &[(sa, "default/Pod/pod-pass", Pass)]);
    let bind = one("checkov_DefaultServiceAccountBinding-FAILED.yaml");
    let dsa = "k8s_rbac_default_service_account_unbound";
    expect(
        &bind,
        &[
            (dsa, "whoa/RoleBinding/read-pods", Fail),
            (dsa, "ClusterRoleBinding/destroy-k8s", Fail),
            ("k8s_rbac_no_cluster_admin_binding", "ClusterRoleBinding/destroy-k8s", Fail),
            ("k8s_namespace_pod_security_enforced", "Namespace/whoa", Fail),
        ],
    );
    let ok = one("checkov_DefaultServiceAccountBinding-PASSED.yaml");
    expect(&ok, &[(dsa, "whoa/RoleBinding/read-pods", Pass), (dsa, "whoa/RoleBinding/read-pods2", Pass), (dsa, "ClusterRoleBinding/read-secrets-global", Pass)]);
}

#[test]
fn joins_reach_across_files() {
    // The ServiceAccount and the NetworkPolicy in one file, the pod in another.
    let objects = from_str(
        "ns.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: team}\nautomountServiceAccountToken: false\n---\n\
         apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: team}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n",
    );
    assert_eq!(objects.inventory.resources.len(), 2);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n  serviceAccountName: app\n  containers: [{name: c, image: 'x:1'}]\n";
    let ns = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: team}\nautomountServiceAccountToken: false\n---\n\
              apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: team}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    let both = engine::assess_files([("pod.yaml", pod.as_bytes()), ("ns.yaml", ns.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1));
    expect(&both, &[("k8s_workload_no_service_account_token", "team/Pod/p", Pass), ("k8s_workload_network_policy", "team/Pod/p", Pass)]);
    let alone = engine::assess_files([("pod.yaml", pod.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1));
    expect(&alone, &[("k8s_workload_no_service_account_token", "team/Pod/p", Indeterminate), ("k8s_workload_network_policy", "team/Pod/p", Indeterminate)]);
}

#[test]
fn privileged_containers_run_without_seccomp() {
    let p = from_str(
        "priv.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - {name: c, image: 'x:1', securityContext: {privileged: true}}\n",
    );
    assert_eq!(val(&p, "x/Pod/p/containers/c", "seccomp_profile"), json!("Unconfined"));
    assert_eq!(res(&p, "x/Pod/p/containers/c").prop("seccomp_profile").map(|p| p.pointer().text().into_owned()), Some("/0/spec/containers/0/securityContext/privileged".into()));
}

#[test]
fn wrong_types_are_unknown_not_defaults() {
    let p = from_str(
        "odd.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: odd, namespace: x}\nspec:\n  securityContext: {runAsUser: abc, sysctls: 5}\n  containers:\n  - name: c\n    image: 7\n    ports: [{hostPort: many}]\n    securityContext: {readOnlyRootFilesystem: maybe, capabilities: {drop: ALL}, seccompProfile: {}}\n",
    );
    let c = res(&p, "x/Pod/odd/containers/c");
    for prop in ["run_as_user", "read_only_root_filesystem", "capabilities_drop", "seccomp_profile", "host_ports", "image"] {
        assert!(matches!(c.prop(prop), Some(Prop::Unknown { .. })), "{prop}: {:?}", c.prop(prop));
    }
    assert!(matches!(res(&p, "x/Pod/odd").prop("sysctls"), Some(Prop::Unknown { .. })));
}
