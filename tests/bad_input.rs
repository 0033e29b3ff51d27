//! Hostile and broken inputs: every one gets a specific error or diagnostics,
//! never a panic, a hang or unbounded memory.

#[path = "support/heap.rs"]
mod heap;

use iso27017::ingest::{parse, IngestError, Limits};
use std::io::Write;

#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

fn err(bytes: &[u8]) -> String {
    match parse("bad", bytes, &Limits::default()) {
        Ok(p) => panic!("expected an error, got {:?} with {} resources", p.format, p.inventory.resources.len()),
        Err(e) => e.to_string(),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn empty_binary_and_garbage() {
    assert!(err(b"").contains("empty"));
    assert!(err(b"   \n\t").contains("empty"));
    assert!(err(b"\x7fELF\x02\x01\x01\0\0\0").contains("binary"));
    assert!(err(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]).contains("binary"));
    assert!(err(b"\xff\xd8\xff\xe0 not utf8 \xc3\x28").contains("UTF-8") || err(b"\xff\xd8\xff\xe0 not utf8 \xc3\x28").contains("UTF-16"));
    assert!(err(b"just some words").contains("plain text"));
}

#[test]
fn truncated_and_malformed_json_say_where() {
    let e = err(br#"{"format_version":"1.1","resource_changes":[{"address":"a""#);
    assert!(e.contains("line 1") && e.contains("truncated"), "{e}");
    let e = err(b"{\n  \"a\": 1,\n  \"b\": ,\n}");
    assert!(e.contains("line 3"), "{e}");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(err(deep.as_bytes()).contains("deeper"));
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert!(err(deep_obj.as_bytes()).contains("deeper"));
    let deep_yaml = format!("a:\n{}", (1..2000).map(|i| format!("{}- \n", " ".repeat(i))).collect::<String>());
    let e = err(deep_yaml.as_bytes());
    assert!(e.contains("deeper") || e.contains("syntax") || e.contains("neither"), "{e}");
}

#[test]
fn huge_numbers_and_duplicate_keys_do_not_crash() {
    let plan = r#"{"format_version":"1.0","terraform_version":"1.5.0","resource_changes":[{"address":"aws_db_instance.x","mode":"managed","type":"aws_db_instance","name":"x","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{"backup_retention_period":1e999,"backup_retention_period":7,"storage_encrypted":true,"allocated_storage":123456789012345678901234567890},"after_unknown":{}}}]}"#;
    // serde_json refuses 1e999 as out of range: a syntax error with its position.
    let r = parse("plan.json", plan.as_bytes(), &Limits::default());
    match r {
        Ok(p) => assert_eq!(p.inventory.resources.len(), 1),
        Err(IngestError::Syntax { line, .. }) => assert_eq!(line, 1),
        Err(e) => panic!("{e}"),
    }
    let dup = r#"{"format_version":"1.0","terraform_version":"1.5.0","resource_changes":[],"resource_changes":[]}"#;
    assert!(parse("dup.json", dup.as_bytes(), &Limits::default()).is_ok());
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = "a".to_string();
    for i in 0..9 {
        let name = format!("b{i}");
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    // Expanded, the bomb is 9^10 (3.5 billion) strings. It is refused once
    // the node budget is spent: the work done is bounded by the budget (5
    // million nodes), not by the expansion, which the bytes this thread
    // allocated tell whatever the machine's load.
    let (bytes, e) = heap::allocated_during(|| err(bomb.as_bytes()));
    assert!(e.contains("alias bomb") || e.contains("nodes"), "{e}");
    let budget = Limits::default().max_yaml_nodes;
    assert!(bytes < budget * 64, "{bytes} bytes allocated to refuse a bomb of {} bytes", bomb.len());
}

#[test]
fn gzip_bombs_and_oversized_inputs_are_capped() {
    let zeros = gzip(&vec![b' '; 64 << 20]);
    assert!(zeros.len() < 1 << 20, "a 64 MiB bomb compresses to {} bytes", zeros.len());
    let limits = Limits { max_decompressed_bytes: 8 << 20, ..Limits::default() };
    let e = parse("bomb.json.gz", &zeros, &limits).unwrap_err().to_string();
    assert!(e.contains("expands to more than"), "{e}");
    let e = parse("big.json", &vec![b' '; 2048], &Limits { max_input_bytes: 1024, ..Limits::default() }).unwrap_err().to_string();
    assert!(e.contains("over the limit"), "{e}");
    let e = err(&gzip(b"{\"a\":1}")[..10]);
    assert!(e.contains("gzip"), "{e}");
}

#[test]
fn gzip_and_utf16_exports_are_read() {
    let plan = br#"{"format_version":"1.0","terraform_version":"1.5.0","resource_changes":[]}"#;
    assert!(parse("p.json.gz", &gzip(plan), &Limits::default()).is_ok());
    let mut utf16 = vec![0xFF, 0xFE];
    for u in std::str::from_utf8(plan).unwrap().encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert!(parse("p.json", &utf16, &Limits::default()).is_ok());
}

#[test]
fn one_broken_resource_does_not_hide_the_others() {
    let cfg = r#"{"configurationItems":[
        {"resourceType":"AWS::EC2::SecurityGroup","resourceId":"sg-1","awsRegion":"eu-west-1","configuration":"{not json"},
        {"resourceType":"AWS::EC2::SecurityGroup","resourceId":"sg-2","awsRegion":"eu-west-1","configuration":{"ipPermissions":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":["0.0.0.0/0"]}]}}
    ]}"#;
    let p = parse("config.json", cfg.as_bytes(), &Limits::default()).unwrap();
    assert!(p.inventory.resources.iter().any(|r| r.id.contains("sg-2")), "{:?}", p.inventory.resources);
    assert!(!p.diagnostics.is_empty(), "the broken item is reported");
}

/// Kubernetes manifests with wrong types, deep nesting and huge lists: parsed
/// and assessed (the joins included) without a panic, the rest still read.
#[test]
fn hostile_kubernetes_manifests_are_read_without_panic() {
    use iso27017::checks::{Context, RuleSet};
    use iso27017::engine;
    let assess = |name: &str, text: &str| {
        let a = engine::assess_files([(name, text.as_bytes())], &Limits::default(), RuleSet::bundled(), &Context::on(2026, 6, 1));
        assert!(a.inputs[0].error.is_none(), "{name}: {:?}", a.inputs[0].error);
        a
    };
    // Wrong types everywhere a fact is read.
    let wrong = r#"[
      {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": 5, "labels": [1], "annotations": {"container.apparmor.security.beta.kubernetes.io/c": 7}},
       "spec": {"serviceAccountName": {"a": 1}, "automountServiceAccountToken": "sometimes", "securityContext": [1, 2],
                "containers": {"name": "not-a-list"}, "initContainers": [3, null, {"name": {"x": 1}, "securityContext": "s",
                  "image": {"repo": "x"}, "imagePullPolicy": 4, "ports": "80", "env": "A=B", "envFrom": [{"secretRef": 5}],
                  "resources": {"limits": {"memory": [1], "cpu": true}}}],
                "ephemeralContainers": [{"name": "e", "securityContext": {"runAsUser": 1e300, "capabilities": {"add": 5, "drop": [1, "ALL"]},
                  "seccompProfile": "RuntimeDefault", "appArmorProfile": {"type": 3}, "windowsOptions": {"hostProcess": "yes"}, "procMount": []},
                  "ports": [{"hostPort": -1}, {"hostPort": 1e308}, {"hostPort": "x"}]}]}},
      {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"}, "roleRef": "cluster-admin", "subjects": {"kind": "User"}},
      {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b2"}, "roleRef": {"kind": 1}, "subjects": [null, 4, {"kind": "ServiceAccount"}]},
      {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}, "rules": [{"verbs": "get", "resources": 5}, null], "aggregationRule": 3},
      {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"}, "spec": {"podSelector": [1], "policyTypes": "Ingress"}},
      {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n2"}, "spec": {"podSelector": {"matchLabels": [1], "matchExpressions": [{"key": 1, "operator": "Nope"}]}}},
      {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"}, "spec": {"limits": [{"type": "Container", "default": [1], "max": {"memory": {"a": 1}}}, 7]}},
      {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}, "automountServiceAccountToken": [true]},
      {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x", "labels": {"pod-security.kubernetes.io/enforce": ["restricted"]}}},
      {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"metadata": 5, "spec": {"containers": [{"name": "c", "image": "a:b:c@"}]}}}}
    ]"#;
    let a = assess("wrong.json", wrong);
    assert!(a.findings.iter().any(|f| f.check.as_str() == "k8s_rbac_no_cluster_admin_binding"));
    assert!(a.findings.iter().any(|f| f.resource.id == "default/Deployment/d/containers/c"), "the good parts are still read");

    // Deeply nested values inside a container (within the parser's depth cap).
    let deep = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: deep}}\nspec:\n  containers:\n  - name: c\n    securityContext: {{capabilities: {{add: {}1{}}}}}\n",
        "[".repeat(60),
        "]".repeat(60)
    );
    assess("deep.yaml", &deep);

    // Huge lists: many containers, env entries, ports and policies.
    let mut big = String::from("apiVersion: v1\nkind: Pod\nmetadata: {name: big, namespace: n, labels: {app: a}}\nspec:\n  containers:\n");
    for i in 0..3_000 {
        big.push_str(&format!("  - {{name: c{i}, image: 'x:{i}', ports: [{{hostPort: {i}}}], env: [{{name: PASSWORD{i}, value: v{i}}}]}}\n"));
    }
    for i in 0..2_000 {
        big.push_str(&format!("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{i}, namespace: n}}\nspec: {{podSelector: {{matchLabels: {{app: z{i}}}}}}}\n"));
    }
    let a = assess("big.yaml", &big);
    assert_eq!(a.findings.iter().filter(|f| f.check.as_str() == "k8s_container_no_host_port").count(), 3_000);
}
