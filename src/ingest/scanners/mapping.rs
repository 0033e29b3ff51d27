//! Which ISO/IEC 27017 controls an imported finding evidences, and on what
//! basis. In order:
//!
//! 1. **user** — the workspace's own mapping of a check id to controls
//!    ([`UserMapping`]), when it names this check;
//! 2. **published** — a mapping the scanner publishes: Prowler's ISO/IEC 27001
//!    compliance files (`data/prowler_iso27001.json`, converted from
//!    prowler-cloud/prowler; 2013 requirements narrowed to the controls of
//!    their objective, 2022 ones through the catalog's 27002:2022
//!    correspondence);
//! 3. **in file** — ISO/IEC 27001 requirements the file itself names
//!    (Prowler's compliance list, ASFF `Compliance.RelatedRequirements`);
//! 4. **ours** — our reviewed tables (`data/own.json`): Security Hub control
//!    ids, Checkov, Trivy / tfsec and KICS ids, each to one of our checks
//!    (whose controls then apply) or to controls, with a one-line reason;
//! 5. otherwise **unmapped**: the finding is kept, listed and counted, with no controls.
//!
//! **Invariant:** tables are data, loaded once; every target check and
//! control exists (`tests/scanners.rs`); nothing here drops a finding.

use super::Imported;
use crate::catalog::Catalog;
use crate::checks::RuleSet;
use crate::model::{CheckId, ControlId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

/// Prowler's ISO/IEC 27001 mapping, converted (see the file's `source`).
pub const PROWLER_DATA: &str = include_str!("data/prowler_iso27001.json");
/// Our own tables.
pub const OWN_DATA: &str = include_str!("data/own.json");

/// Where a finding's controls come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The workspace's own mapping.
    User,
    /// A mapping the scanner publishes (Prowler's compliance files).
    Published,
    /// Requirements the imported file names for the finding.
    InFile,
    /// Our reviewed tables.
    Ours,
    /// Nothing maps it: listed and counted, no controls.
    Unmapped,
}

impl Basis {
    /// Stable token.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::User => "user",
            Basis::Published => "published",
            Basis::InFile => "in_file",
            Basis::Ours => "ours",
            Basis::Unmapped => "unmapped",
        }
    }
    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Basis::User => "your mapping",
            Basis::Published => "the scanner's published mapping",
            Basis::InFile => "requirements named in the file",
            Basis::Ours => "our mapping table",
            Basis::Unmapped => "not mapped",
        }
    }
}

/// An imported check's controls and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// The controls (empty when unmapped); shared by every finding of the check.
    pub controls: Arc<[ControlId]>,
    /// Our check judging the same condition, when the mapping names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckId>,
    /// Where the controls come from.
    pub basis: Basis,
    /// One line: the requirement or reason behind it.
    pub note: Arc<str>,
}

/// The workspace's own mapping of imported check ids (`checkov:CKV_AWS_999`)
/// to controls, used before any table when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMapping {
    /// Check id → controls.
    pub entries: BTreeMap<CheckId, Vec<ControlId>>,
}

impl UserMapping {
    /// Map `check` to `controls` (none: remove the entry).
    pub fn set(&mut self, check: CheckId, controls: Vec<ControlId>) {
        if controls.is_empty() {
            self.entries.remove(&check);
        } else {
            self.entries.insert(check, controls);
        }
    }
}

#[derive(Deserialize)]
struct ProwlerData {
    requirements: HashMap<String, Requirement>,
    checks: HashMap<String, HashMap<String, Vec<String>>>,
}

#[derive(Deserialize)]
struct Requirement {
    summary: String,
    #[serde(default)]
    controls: Vec<String>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
struct Own {
    securityhub: HashMap<String, Entry>,
    checkov: HashMap<String, Entry>,
    trivy: HashMap<String, Entry>,
    kics: HashMap<String, Entry>,
}

/// One row of our tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default)]
    check: Option<String>,
    #[serde(default)]
    controls: Vec<String>,
    reason: String,
    #[serde(default)]
    aliases: Vec<String>,
}

struct Tables {
    prowler: ProwlerData,
    own: Own,
    /// Trivy long ids (tfsec) → AVD id.
    trivy_aliases: HashMap<String, String>,
}

fn tables() -> Option<&'static Tables> {
    static T: OnceLock<Option<Tables>> = OnceLock::new();
    T.get_or_init(|| {
        let prowler: ProwlerData = serde_json::from_str(PROWLER_DATA).ok()?;
        let own: Own = serde_json::from_str(OWN_DATA).ok()?;
        let trivy_aliases =
            own.trivy.iter().flat_map(|(id, e)| e.aliases.iter().map(move |a| (a.to_ascii_lowercase(), id.clone()))).collect();
        Some(Tables { prowler, own, trivy_aliases })
    })
    .as_ref()
}

/// Problems in the embedded tables (empty when they load and every target
/// exists): for `tests/scanners.rs`.
pub fn lint(rules: &RuleSet, catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    let Some(t) = tables() else {
        return vec!["the mapping tables do not parse".into()];
    };
    let control = |c: &str, out: &mut Vec<String>, at: &str| match c.parse::<ControlId>() {
        Ok(id) if catalog.control(&id).is_some() => {}
        _ => out.push(format!("{at}: no control {c}")),
    };
    for (id, r) in &t.prowler.requirements {
        for c in &r.controls {
            control(c, &mut out, id);
        }
        // A 2022 requirement new in 2022 (A.5.7 threat intelligence) has no
        // 27017 counterpart: it maps to nothing, and that is right.
        if let Some(n) = id.strip_prefix("ISO27001-2022:") {
            if catalog.control_2022(n.trim_start_matches("A.")).is_none() {
                out.push(format!("{id}: not a 27002:2022 control"));
            }
        } else if r.controls.is_empty() || r.reason.is_none() {
            out.push(format!("{id}: a 2013 requirement needs controls and a reason"));
        }
    }
    for (prov, checks) in &t.prowler.checks {
        for (check, reqs) in checks {
            for r in reqs {
                if !t.prowler.requirements.contains_key(r) {
                    out.push(format!("prowler {prov} {check}: unknown requirement {r}"));
                }
            }
        }
    }
    for (table, rows) in [("securityhub", &t.own.securityhub), ("checkov", &t.own.checkov), ("trivy", &t.own.trivy), ("kics", &t.own.kics)] {
        for (id, e) in rows {
            let at = format!("{table} {id}");
            match (&e.check, e.controls.is_empty()) {
                (Some(c), true) => {
                    if rules.rule(c).is_none() {
                        out.push(format!("{at}: no check {c}"));
                    }
                }
                (None, false) => e.controls.iter().for_each(|c| control(c, &mut out, &at)),
                _ => out.push(format!("{at}: give a check or controls, not both or neither")),
            }
            if !(10..=200).contains(&e.reason.len()) {
                out.push(format!("{at}: the reason must be one line of 10 to 200 characters"));
            }
        }
    }
    out
}

/// Maps imported findings, remembering each check's answer (a file repeats
/// a few hundred checks over many resources).
pub struct Mapper<'a> {
    rules: &'a RuleSet,
    catalog: &'a Catalog,
    user: Option<&'a UserMapping>,
    cache: HashMap<(CheckId, Option<crate::inventory::Text>), Arc<Mapping>>,
    unmapped: Arc<[ControlId]>,
}

impl<'a> Mapper<'a> {
    /// A mapper over `rules` (our checks' controls), `catalog` (2022
    /// correspondence) and the workspace's own mapping.
    pub fn new(rules: &'a RuleSet, catalog: &'a Catalog, user: Option<&'a UserMapping>) -> Mapper<'a> {
        Mapper { rules, catalog, user, cache: HashMap::new(), unmapped: Arc::from(Vec::new()) }
    }

    /// The mapping of `f`, whose check id is `id` (`tool:ID`).
    pub fn map(&mut self, id: &CheckId, f: &Imported) -> Arc<Mapping> {
        let key = (id.clone(), f.control_id.clone());
        if let Some(m) = self.cache.get(&key) {
            return m.clone();
        }
        let m = Arc::new(self.resolve(id, f));
        self.cache.insert(key, m.clone());
        m
    }

    fn resolve(&self, id: &CheckId, f: &Imported) -> Mapping {
        if let Some(controls) = self.user.and_then(|u| u.entries.get(id)) {
            return Mapping {
                controls: Arc::from(controls.clone()),
                check: None,
                basis: Basis::User,
                note: Arc::from("mapped in this workspace"),
            };
        }
        let tool = f.tool.namespace();
        let check = f.check.as_str();
        let Some(t) = tables() else { return self.none() };
        // Prowler (also its findings sent to Security Hub: GeneratorId `prowler-<check>`).
        let prowler_check = if tool.contains("prowler") { Some(check.trim_start_matches("prowler-")) } else { None };
        if let Some(pc) = prowler_check {
            let reqs = t.prowler.checks.get(f.provider.as_str()).and_then(|c| c.get(pc));
            if let Some(m) = reqs.and_then(|r| self.requirements(t, r.iter().map(String::as_str), Basis::Published, "Prowler's ISO/IEC 27001 mapping")) {
                return m;
            }
        }
        if let Some(m) = self.requirements(t, f.requirements.iter().map(|r| r.as_str()), Basis::InFile, "named in the file") {
            return m;
        }
        let own = |table: &HashMap<String, Entry>, k: &str| table.get(k).map(|e| self.entry(e));
        let found = if let Some(cid) = f.control_id.as_deref() {
            own(&t.own.securityhub, cid)
        } else if tool.contains("checkov") || check.starts_with("CKV") {
            own(&t.own.checkov, check)
        } else if tool.contains("trivy") || tool.contains("tfsec") || tool.contains("defsec") || check.starts_with("AVD-") {
            own(&t.own.trivy, check).or_else(|| t.trivy_aliases.get(&check.to_ascii_lowercase()).and_then(|avd| own(&t.own.trivy, avd)))
        } else if tool.contains("kics") {
            own(&t.own.kics, check)
        } else {
            None
        };
        found.flatten().unwrap_or_else(|| self.none())
    }

    fn none(&self) -> Mapping {
        Mapping { controls: self.unmapped.clone(), check: None, basis: Basis::Unmapped, note: Arc::from("no mapping for this check id") }
    }

    /// A row of our tables.
    fn entry(&self, e: &Entry) -> Option<Mapping> {
        let (controls, check) = match &e.check {
            Some(c) => {
                let rule = self.rules.rule(c)?;
                (rule.controls.clone(), Some(rule.id.clone()))
            }
            None => (e.controls.iter().filter_map(|c| c.parse().ok()).collect(), None),
        };
        let note = match &check {
            Some(c) => format!("same condition as our check {c}: {}", e.reason),
            None => e.reason.clone(),
        };
        Some(Mapping { controls: Arc::from(controls), check, basis: Basis::Ours, note: Arc::from(note) })
    }

    /// The controls of ISO/IEC 27001 requirement ids: Prowler's table entries,
    /// Annex A 2013 control ids (`A.12.4.1`, same numbering as 27017's), or
    /// 2022 ones through the catalog.
    fn requirements<'r>(&self, t: &Tables, reqs: impl Iterator<Item = &'r str>, basis: Basis, what: &str) -> Option<Mapping> {
        let mut controls: Vec<ControlId> = Vec::new();
        let mut named: Vec<String> = Vec::new();
        for r in reqs {
            let r = r.trim();
            let (year, id) = match r.split_once(':') {
                Some((fw, id)) if fw.to_ascii_uppercase().replace([' ', '/', '_', '-'], "").starts_with("ISO27001") => {
                    (if fw.contains("2022") { 2022 } else { 2013 }, id.trim())
                }
                // ASFF RelatedRequirements: "ISO 27001 A.12.4.1" and the like.
                _ if r.to_ascii_uppercase().replace([' ', '/', '_', '-'], "").starts_with("ISO27001") => {
                    let id = r.rsplit(' ').next().unwrap_or_default();
                    (if r.contains("2022") { 2022 } else { 2013 }, id)
                }
                _ => continue,
            };
            let key = format!("ISO27001-{year}:{id}");
            let before = controls.len();
            if let Some(req) = t.prowler.requirements.get(&key).filter(|_| year == 2013) {
                controls.extend(req.controls.iter().filter_map(|c| c.parse().ok()));
                named.push(format!("{id} ({}): {}", req.summary, req.reason.as_deref().unwrap_or("")));
            } else {
                let bare = id.trim_start_matches("A.");
                if year == 2022 {
                    controls.extend(self.catalog.mapped_to_2022(bare).map(|c| c.id.clone()));
                } else if let Some(c) = bare.parse::<ControlId>().ok().filter(|c| self.catalog.control(c).is_some()) {
                    controls.push(c);
                }
                if controls.len() > before {
                    let summary = t.prowler.requirements.get(&key).map(|r| format!(" ({})", r.summary)).unwrap_or_default();
                    named.push(format!("ISO/IEC 27001:{year} {id}{summary}"));
                }
            }
        }
        if controls.is_empty() {
            return None;
        }
        controls.sort_by_key(ControlId::sort_key);
        controls.dedup();
        named.dedup();
        Some(Mapping { controls: Arc::from(controls), check: None, basis, note: Arc::from(format!("{what}: {}", named.join("; "))) })
    }
}
