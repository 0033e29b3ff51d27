//! Hostile and broken inputs: every one gets a specific error or diagnostics,
//! never a panic, a hang or unbounded memory.

use iso27017::ingest::{parse, IngestError, Limits};
use std::io::Write;

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
    let start = std::time::Instant::now();
    let e = err(bomb.as_bytes());
    assert!(e.contains("alias bomb") || e.contains("nodes"), "{e}");
    assert!(start.elapsed().as_secs() < 10);
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
