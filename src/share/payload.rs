//! [`ShareV1`]: the report snapshot a share link carries, version 1.
//!
//! It is its own DTO, built field by field from a
//! [`Workspace`](crate::workspace::Workspace) by [`ShareV1::from_workspace`]:
//! domain types are never serialised directly, so adding a field to the
//! workspace can never leak it into links. Field names are short because the
//! JSON travels (compressed) in a URL; each is documented below, and
//! [`FORMAT_DOC`] lists them for the README.
//!
//! **What is in it** (and nothing else): the scope (organisation, roles,
//! service models, providers), the assessment date, what was chosen for
//! inclusion, one entry per catalog control (outcome, manual status,
//! responsibility, exclusion justification, automated counts, and the
//! evidence notes only when chosen), the number of failing or decided
//! findings, and, when chosen, one summary per failing or decided finding
//! (check, controls, severity, message, decision, and the resource id only
//! when chosen).
//!
//! **What is never in it:** the workspace id and name, created/modified
//! times, owners, target dates, decision reasons and expiry dates, upload
//! file names, sizes and digests, resource names, source pointers,
//! evidence values, and passing or indeterminate findings. A finding's
//! message names its resource, so when resource ids are left out the message
//! is rebuilt from the rule's template with [`REDACTED_RESOURCE`].
//!
//! **Invariant:** everything in a [`ShareV1`] comes from the workspace
//! through [`ShareV1::from_workspace`] and the [`ShareOptions`]; notes and
//! resource ids appear only when their option is on, findings only when
//! `include_findings` is on.
//! **Invariant:** [`ShareV1::validate`] accepts every value
//! `from_workspace` makes (texts are clipped to the limits it checks) and
//! rejects unknown control ids, duplicates, bad dates, over-long text and
//! outcomes that do not follow from the answer and counts.

use super::error::{clip, ShareError};
use crate::checks::{Finding, RuleSet};
use crate::inventory::Provider;
use crate::model::{CheckId, ControlId, Responsibility, Role, ServiceModel, Severity, Status};
use crate::workspace::model::{MAX_NOTES_BYTES, MAX_TEXT_BYTES};
use crate::workspace::rollup::{combine, effective, DecisionState, Outcome};
use crate::workspace::{Applicability, DecisionKind, IsoDate, ManualStatus, Workspace};
use crate::Catalog;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What replaces the resource's name and id in a finding's message when
/// resource ids are left out.
pub const REDACTED_RESOURCE: &str = "[resource]";

/// Most findings a link may carry (a link this app makes stays far below:
/// the fragment limit is reached first).
pub const MAX_SHARED_FINDINGS: usize = 5_000;

/// The field names of the version-1 JSON, for the README and the UI's
/// "what is in this link" help. One line per field: `path — meaning`.
pub const FORMAT_DOC: &[&str] = &[
    "d — assessment date, YYYY-MM-DD (the day the link was made)",
    "i — what the sender chose to include: {n: notes, r: resource ids, f: findings} (booleans)",
    "s — scope: {o: organisation, r: roles [csc|csp], m: service models [iaas|paas|saas], p: providers [aws|azure|gcp|kubernetes]}; empty parts omitted",
    "c — one entry per catalog control, catalog order: {i: control id, o: outcome token, s: manual status (omitted = not_assessed), r: responsibility csc|csp|shared (omitted = none recorded), x: exclusion justification (present = excluded), n: evidence notes in Markdown (only when i.n), a: automated counts [pass, fail, unknown, accepted] (omitted = all zero)}",
    "fc — number of failing or decided findings in the assessment (also when f is left out or shortened)",
    "f — finding summaries, worst first (only when i.f): {k: check id, c: control ids, v: severity, m: message, r: resource id (only when i.r), d: decision in force waived|risk_accepted (omitted = failing)}",
];

/// What the user chose to put into a link. The default shares the least:
/// findings yes, notes and resource ids no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareOptions {
    /// Include each control's evidence notes (Markdown).
    pub include_notes: bool,
    /// Include resource ids in findings (otherwise messages are redacted).
    pub include_resource_ids: bool,
    /// Include the failing and decided finding summaries (counts are always included).
    pub include_findings: bool,
}

impl Default for ShareOptions {
    fn default() -> Self {
        ShareOptions { include_notes: false, include_resource_ids: false, include_findings: true }
    }
}

impl ShareOptions {
    /// Everything that can be shared.
    pub const ALL: ShareOptions = ShareOptions { include_notes: true, include_resource_ids: true, include_findings: true };
}

/// `i`: what the sender included, so the read-only view can say what was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncludedV1 {
    /// `n`: notes included.
    #[serde(rename = "n")]
    pub notes: bool,
    /// `r`: resource ids included.
    #[serde(rename = "r")]
    pub resource_ids: bool,
    /// `f`: finding summaries included.
    #[serde(rename = "f")]
    pub findings: bool,
}

/// `s`: the assessment's scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareScopeV1 {
    /// `o`: organisation (may be empty).
    #[serde(rename = "o", default, skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    /// `r`: roles, sorted, unique.
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// `m`: service models, sorted, unique.
    #[serde(rename = "m", default, skip_serializing_if = "Vec::is_empty")]
    pub service_models: Vec<ServiceModel>,
    /// `p`: providers, sorted, unique.
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<Provider>,
}

/// One entry of `c`: a control's result in the Statement of Applicability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareControlV1 {
    /// `i`: the control id (known to `Catalog::bundled()` once validated).
    #[serde(rename = "i")]
    pub id: ControlId,
    /// `o`: the combined outcome (`Outcome::as_str` token).
    #[serde(rename = "o", with = "outcome_token")]
    pub outcome: Outcome,
    /// `s`: the manual status; omitted when `not_assessed`.
    #[serde(rename = "s", default = "not_assessed", skip_serializing_if = "is_not_assessed")]
    pub status: ManualStatus,
    /// `r`: who carries the control (answer, else the scope's default); omitted when unknown.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub responsibility: Option<Responsibility>,
    /// `x`: present when the control is excluded from the Statement of
    /// Applicability, holding the justification (possibly empty).
    #[serde(rename = "x", default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
    /// `n`: evidence notes in Markdown (only when notes were included);
    /// render only with `markdown::render_safe`.
    #[serde(rename = "n", default, skip_serializing_if = "String::is_empty")]
    pub notes_md: String,
    /// `a`: automated finding counts `[pass, fail, unknown, accepted]`
    /// after decisions (`accepted` = failing findings covered by a decision in
    /// force); omitted when all zero.
    #[serde(rename = "a", default, skip_serializing_if = "is_zero4")]
    pub counts: [u32; 4],
    /// `k`: true when a compensating measure is recorded for the control
    /// (`workspace::evidence`); omitted when false.
    #[serde(rename = "k", default, skip_serializing_if = "std::ops::Not::not")]
    pub compensated: bool,
    /// `p`: the control's provider part and whether its attestations hold
    /// (`attest::ProviderState` token); omitted without one.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<crate::workspace::attest::ProviderState>,
}

impl ShareControlV1 {
    /// The automated result the counts imply (rule step 2).
    pub fn automated(&self) -> Status {
        let [pass, fail, unknown, _] = self.counts;
        if fail > 0 {
            Status::Fail
        } else if unknown > 0 {
            Status::Indeterminate
        } else if pass > 0 {
            Status::Pass
        } else {
            Status::NotApplicable
        }
    }
    /// The applicability as the workspace models it.
    pub fn applicability(&self) -> Applicability {
        match &self.excluded {
            Some(j) => Applicability::Excluded { justification: j.clone() },
            None => Applicability::Applicable,
        }
    }
}

/// One entry of `f`: a failing finding, or a failing finding with a decision in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareFindingV1 {
    /// `k`: the check.
    #[serde(rename = "k")]
    pub check: CheckId,
    /// `c`: the controls it evidences (at least one, all known).
    #[serde(rename = "c")]
    pub controls: Vec<ControlId>,
    /// `v`: the check's severity.
    #[serde(rename = "v")]
    pub severity: Severity,
    /// `m`: the message for people (resource redacted when ids are left out).
    #[serde(rename = "m")]
    pub message: String,
    /// `r`: the resource id or address (only when resource ids were included).
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// `d`: the decision in force (`waived` / `risk_accepted`); omitted =
    /// failing (no decision, or an expired one).
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionKind>,
}

/// Version 1 of the share-link payload. Build with
/// [`ShareV1::from_workspace`]; [`crate::share::decode`] returns only
/// validated values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareV1 {
    /// `d`: assessment date, `YYYY-MM-DD` (see [`ShareV1::assessed`]).
    #[serde(rename = "d")]
    pub date: String,
    /// `i`: what the sender included.
    #[serde(rename = "i")]
    pub included: IncludedV1,
    /// `s`: scope.
    #[serde(rename = "s", default)]
    pub scope: ShareScopeV1,
    /// `c`: one entry per control, in catalog order.
    #[serde(rename = "c")]
    pub controls: Vec<ShareControlV1>,
    /// `fc`: failing or decided findings in the assessment (the length of
    /// `f` before anything was left out).
    #[serde(rename = "fc", default)]
    pub finding_count: u32,
    /// `f`: finding summaries, worst first (empty when findings were left out).
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<ShareFindingV1>,
}

fn not_assessed() -> ManualStatus {
    ManualStatus::NotAssessed
}
fn is_not_assessed(s: &ManualStatus) -> bool {
    *s == ManualStatus::NotAssessed
}
fn is_zero4(a: &[u32; 4]) -> bool {
    *a == [0; 4]
}
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `Outcome` as its stable token.
mod outcome_token {
    use crate::workspace::rollup::Outcome;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(o: &Outcome, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(o.as_str())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Outcome, D::Error> {
        let t = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Outcome::ALL
            .iter()
            .copied()
            .find(|o| o.as_str() == t)
            .ok_or_else(|| D::Error::custom(format_args!("unknown outcome {:?}", super::clip(&t, 40))))
    }
}

/// The calendar date `days` after 1970-01-01 (inverse of `IsoDate::days`),
/// clamped to 0001-01-01 ..= 9999-12-31, so always `Some`.
pub fn date_from_days(days: i64) -> Option<IsoDate> {
    IsoDate::from_days(days.clamp(-719_162, 2_932_896))
}

/// `s` cut to at most `max` bytes at a character boundary, ending in `…` when cut.
fn clip_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let ell = "…";
    let mut end = max.saturating_sub(ell.len());
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s.get(..end).unwrap_or("").to_string();
    out.push_str(ell);
    out
}

/// The finding's message with its resource label replaced by [`REDACTED_RESOURCE`]:
/// rebuilt from the rule's failure template when the rule is bundled, else by
/// replacing the resource's label, id and name in the message.
fn redacted_message(f: &Finding) -> String {
    // The rule heads carry the messages (and are what the page holds).
    if let Some(rule) = RuleSet::bundled_heads().rule(f.check.as_str()) {
        return rule.message_fail.replace("{resource}", REDACTED_RESOURCE);
    }
    let r = &f.resource;
    let mut m = f.message.to_string();
    if !r.name.is_empty() && !r.id.is_empty() {
        m = m.replace(&format!("{} ({})", r.name, r.id), REDACTED_RESOURCE);
    }
    for s in [&r.id, &r.name] {
        if !s.is_empty() {
            m = m.replace(s.as_str(), REDACTED_RESOURCE);
        }
    }
    m
}

/// Worst first: failing before decided, then severity, check, resource.
fn finding_order(a: &ShareFindingV1, b: &ShareFindingV1) -> std::cmp::Ordering {
    (a.decision.is_some(), std::cmp::Reverse(a.severity), &a.check, &a.resource_id, &a.message).cmp(&(
        b.decision.is_some(),
        std::cmp::Reverse(b.severity),
        &b.check,
        &b.resource_id,
        &b.message,
    ))
}

impl ShareV1 {
    /// The snapshot of `ws` on `today` (days since 1970-01-01, as in
    /// `checks::Context::today`) with what `opts` allows.
    pub fn from_workspace(ws: &Workspace, today: i64, opts: &ShareOptions) -> ShareV1 {
        let scope = ws.scope();
        let controls = ws
            .roll_up_all(today)
            .into_iter()
            .map(|(id, r)| {
                let a = ws.answer(&id);
                ShareControlV1 {
                    outcome: r.outcome,
                    status: a.status,
                    responsibility: ws.responsibility(&id),
                    excluded: match a.applicable {
                        Applicability::Excluded { justification } => Some(clip_bytes(&justification, MAX_TEXT_BYTES)),
                        Applicability::Applicable => None,
                    },
                    notes_md: if opts.include_notes { clip_bytes(&a.notes_md, MAX_NOTES_BYTES) } else { String::new() },
                    counts: [count(r.pass), count(r.fail), count(r.indeterminate), count(r.accepted)],
                    compensated: ws.evidence().compensated(&id),
                    provider: ws.coverage(&id, today).state(),
                    id,
                }
            })
            .collect();
        let mut findings: Vec<ShareFindingV1> = ws
            .findings()
            .filter(|f| f.status == Status::Fail && !f.controls.is_empty())
            .map(|f| {
                let decision = match effective(f, ws.decisions(), today).decision {
                    DecisionState::InForce(k) => Some(k),
                    DecisionState::None | DecisionState::Expired(_) => None,
                };
                let message = if opts.include_resource_ids { f.message.to_string() } else { redacted_message(f) };
                ShareFindingV1 {
                    check: f.check.clone(),
                    controls: f.controls.to_vec(),
                    severity: f.severity,
                    message: clip_bytes(&message, MAX_TEXT_BYTES),
                    resource_id: opts.include_resource_ids.then(|| clip_bytes(&f.resource.id, MAX_TEXT_BYTES)),
                    decision,
                }
            })
            .collect();
        findings.sort_by(finding_order);
        let finding_count = count(findings.len());
        if !opts.include_findings {
            findings.clear();
        }
        findings.truncate(MAX_SHARED_FINDINGS);
        ShareV1 {
            date: date_from_days(today).map_or_else(|| "1970-01-01".to_string(), |d| d.to_string()),
            included: IncludedV1 {
                notes: opts.include_notes,
                resource_ids: opts.include_resource_ids,
                findings: opts.include_findings,
            },
            scope: ShareScopeV1 {
                organisation: clip_bytes(&scope.organisation, MAX_TEXT_BYTES),
                roles: scope.roles.clone(),
                service_models: scope.service_models.clone(),
                providers: scope.providers.clone(),
            },
            controls,
            finding_count,
            findings,
        }
    }

    /// The assessment date (`None` only for an unvalidated value with a bad date).
    pub fn assessed(&self) -> Option<IsoDate> {
        self.date.parse().ok()
    }

    /// Number of controls per outcome, in `Outcome::ALL` order (worst first),
    /// for the summary block that must read the same in the original and the
    /// shared view.
    pub fn outcome_counts(&self) -> Vec<(Outcome, usize)> {
        Outcome::ALL.iter().map(|o| (*o, self.controls.iter().filter(|c| c.outcome == *o).count())).collect()
    }

    /// Check everything a link made by this app satisfies. `decode` calls it;
    /// `encode` too, so no link is made that would not open.
    pub fn validate(&self) -> Result<(), ShareError> {
        if self.date.parse::<IsoDate>().is_err() {
            return Err(ShareError::InvalidDate { value: clip(&self.date, 40) });
        }
        text("the organisation", &self.scope.organisation, MAX_TEXT_BYTES)?;
        sorted_unique("roles", &self.scope.roles)?;
        sorted_unique("service models", &self.scope.service_models)?;
        sorted_unique("providers", &self.scope.providers)?;
        let catalog = Catalog::bundled();
        let known = |id: &ControlId| match catalog.control(id) {
            Some(_) => Ok(()),
            None => Err(ShareError::UnknownControl(id.clone())),
        };
        let mut seen = BTreeSet::new();
        for c in &self.controls {
            known(&c.id)?;
            if !seen.insert(&c.id) {
                return Err(ShareError::DuplicateControl(c.id.clone()));
            }
            if let Some(j) = &c.excluded {
                text(&format!("the exclusion justification of {}", c.id), j, MAX_TEXT_BYTES)?;
            }
            text(&format!("the notes of {}", c.id), &c.notes_md, MAX_NOTES_BYTES)?;
            if !self.included.notes && !c.notes_md.is_empty() {
                return Err(ShareError::Invalid(format!("{} has notes although notes were not included", c.id)));
            }
            let base = combine(&c.applicability(), c.status, c.automated(), c.compensated);
            if crate::workspace::rollup::with_provider(base, c.provider.map(|p| (p.part(), p.holds()))) != c.outcome {
                return Err(ShareError::Invalid(format!(
                    "the outcome of {} does not follow from its answer and automated results",
                    c.id
                )));
            }
        }
        if self.findings.len() > MAX_SHARED_FINDINGS {
            return Err(ShareError::Invalid(format!(
                "{} findings; at most {MAX_SHARED_FINDINGS} are shared",
                self.findings.len()
            )));
        }
        if !self.included.findings && !self.findings.is_empty() {
            return Err(ShareError::Invalid("findings are listed although findings were not included".into()));
        }
        if self.findings.len() > self.finding_count as usize {
            return Err(ShareError::Invalid("more findings listed than counted".into()));
        }
        for f in &self.findings {
            if f.controls.is_empty() {
                return Err(ShareError::Invalid(format!("a finding of {} names no control", f.check)));
            }
            for c in &f.controls {
                known(c)?;
            }
            text(&format!("the message of a finding of {}", f.check), &f.message, MAX_TEXT_BYTES)?;
            match (&f.resource_id, self.included.resource_ids) {
                (Some(r), true) => text(&format!("the resource id of a finding of {}", f.check), r, MAX_TEXT_BYTES)?,
                (Some(_), false) => {
                    return Err(ShareError::Invalid("a finding names its resource although resource ids were not included".into()))
                }
                (None, _) => {}
            }
        }
        Ok(())
    }
}

fn text(field: &str, s: &str, max: usize) -> Result<(), ShareError> {
    if s.len() > max {
        Err(ShareError::TextTooLong { field: field.to_string(), bytes: s.len(), max })
    } else {
        Ok(())
    }
}

fn sorted_unique<T: Ord>(what: &str, v: &[T]) -> Result<(), ShareError> {
    if v.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err(ShareError::Invalid(format!("the scope's {what} are repeated or out of order")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{ControlAnswer, Scope, Workspaces};

    #[test]
    fn dates_round_trip_through_days() {
        for s in ["1970-01-01", "2024-02-29", "2026-06-01", "0001-01-01", "9999-12-31", "1969-12-31", "2000-03-01"] {
            let d: IsoDate = s.parse().unwrap();
            assert_eq!(date_from_days(d.days()).unwrap().to_string(), s);
        }
        assert_eq!(date_from_days(i64::MIN).unwrap().to_string(), "0001-01-01");
        assert_eq!(date_from_days(i64::MAX).unwrap().to_string(), "9999-12-31");
    }

    #[test]
    fn clip_bytes_respects_char_boundaries() {
        assert_eq!(clip_bytes("abc", 3), "abc");
        let c = clip_bytes(&"é".repeat(10), 8);
        assert!(c.len() <= 8 && c.ends_with('…'), "{c}");
    }

    #[test]
    fn default_options_share_the_least() {
        let o = ShareOptions::default();
        assert!(!o.include_notes && !o.include_resource_ids && o.include_findings);
    }

    #[test]
    fn snapshot_of_an_empty_workspace_validates() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        w.set_scope(Scope { organisation: "Acme".into(), roles: vec![Role::Csc], ..Default::default() }, 2).unwrap();
        let ans = ControlAnswer { notes_md: "secret".into(), status: ManualStatus::Implemented, ..Default::default() };
        w.set_answer(&"9.1.2".parse().unwrap(), ans, 3).unwrap();
        let s = ShareV1::from_workspace(w, 20_000, &ShareOptions::default());
        s.validate().unwrap();
        assert_eq!(s.controls.len(), Catalog::bundled().controls().len());
        assert!(s.controls.iter().all(|c| c.notes_md.is_empty()));
        assert_eq!(s.outcome_counts().iter().map(|(_, n)| n).sum::<usize>(), s.controls.len());
        let with_notes = ShareV1::from_workspace(w, 20_000, &ShareOptions::ALL);
        assert!(with_notes.controls.iter().any(|c| c.notes_md == "secret"));
    }

    #[test]
    fn validate_rejects_inconsistent_outcomes_and_scope() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let s = ShareV1::from_workspace(ws.active().unwrap(), 20_000, &ShareOptions::default());
        let mut bad = s.clone();
        bad.controls[0].outcome = Outcome::Met;
        assert!(matches!(bad.validate(), Err(ShareError::Invalid(_))));
        let mut bad = s.clone();
        bad.scope.roles = vec![Role::Csp, Role::Csc];
        assert!(matches!(bad.validate(), Err(ShareError::Invalid(_))));
        let mut bad = s.clone();
        bad.date = "2026-02-30".into();
        assert!(matches!(bad.validate(), Err(ShareError::InvalidDate { .. })));
        let mut bad = s;
        let first = bad.controls[0].clone();
        bad.controls.push(first);
        assert!(matches!(bad.validate(), Err(ShareError::DuplicateControl(_))));
    }
}
