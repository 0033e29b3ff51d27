//! The one rule that turns a control's automated findings, the decisions on
//! them and the assessor's manual answer into the control's [`Outcome`]. The
//! UI shows [`RULE`] next to the results; this module is its only
//! implementation.
//!
//! **The rule**, in order:
//! 1. *Decisions.* A failing finding with a decision (risk accepted or
//!    waived) that is in force — no expiry, or `today` strictly before the
//!    expiry date — counts as not failing (neutral, not as a pass). Once the
//!    expiry date is reached it counts as failing again.
//! 2. *Automated result* of the control: the remaining findings combined by
//!    `Status::combine` (Fail dominates, then Unknown, then Pass; none = not
//!    applicable), as in `engine`.
//! 3. *Combination* ([`combine`]):
//!    - excluded from the Statement of Applicability → **Not applicable**;
//!    - automated Fail with a compensating measure recorded for the control
//!      (`evidence::Compensation`: justification, reviewer, review date) →
//!      the manual status decides as below, except that Implemented and Not
//!      assessed give **Met (compensated)**;
//!    - automated Fail otherwise → **Not met (automated)**, whatever the
//!      manual status (the default: one failing finding overrides the answer);
//!    - manual Not implemented → **Not met**;
//!    - manual Partially implemented → **Partially met**;
//!    - manual Implemented → **Met** if automated Pass or nothing to check,
//!      **Met (with open questions)** if automated Unknown;
//!    - manual Not applicable → **Not applicable**;
//!    - manual Not assessed → **Automated pass, needs review** if automated Pass,
//!      **Automated result unknown, needs review** if Unknown, **Not assessed** if
//!      nothing to check.
//!
//! 4. *Provider part* ([`with_provider`], `attest`): a control inherited from
//!    the provider or shared with it keeps Not applicable and Not met
//!    (automated); otherwise, when a cited attestation does not hold today
//!    (expired, not yet issued, another provider) → **Provider attestation
//!    needs review**; when they all hold, inherited → **Covered by provider
//!    attestation**, shared → the outcome of step 3 (the customer's part).
//!
//! **Invariant:** [`combine`] is total (every applicability × status ×
//! automated result has exactly one outcome) and pure; `today` is days since
//! 1970-01-01, like `checks::Context::today`.

use super::attest::ProviderPart;
use super::model::{Applicability, ControlAnswer, DecisionKind, FindingDecision, ManualStatus, Workspace};
use crate::checks::Finding;
use crate::model::{CheckId, ControlId, Status};
use crate::Catalog;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The rule in words, one line per step, for the UI to show beside results.
pub const RULE: &[&str] = &[
    "A failing finding that is accepted as a risk or waived counts as not failing until its expiry date; from that date it counts as failing again.",
    "The automated result combines the control's findings: any failure → fail; otherwise any unknown → unknown; otherwise any pass → pass; none → nothing to check.",
    "Excluded from the Statement of Applicability → Not applicable.",
    "Otherwise an automated failure → Not met (automated), whatever the manual status, unless a compensating measure is recorded for the control (justification, reviewer, review date): then Met (compensated), or the manual status when it is Not implemented, Partially implemented or Not applicable.",
    "Otherwise the manual status decides: Not implemented → Not met; Partially implemented → Partially met; Not applicable → Not applicable.",
    "Implemented → Met if the automated result is a pass or there is nothing to check, Met (with open questions) if it is unknown.",
    "Not assessed → Automated pass, needs review / Automated result unknown, needs review / Not assessed, by the automated result.",
    "A control inherited from or shared with the provider whose attestation has expired or does not match the scope → Provider attestation needs review; inherited and holding → Covered by provider attestation; shared and holding → the customer's part decides.",
];

/// A control's combined result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Excluded, or manually marked not applicable.
    NotApplicable,
    /// At least one failing finding not covered by a decision in force.
    NotMetAutomated,
    /// Manually marked not implemented.
    NotMet,
    /// Manually marked partially implemented.
    PartiallyMet,
    /// Implemented, and the automated checks pass or have nothing to check.
    Met,
    /// Implemented, but some automated checks could not tell.
    MetWithOpenQuestions,
    /// An automated failure compensated by another measure, reviewed.
    MetCompensated,
    /// Not assessed yet; automated checks pass.
    AutomatedPassNeedsReview,
    /// Not assessed yet; automated checks could not tell.
    AutomatedUnknownNeedsReview,
    /// Not assessed and nothing to check automatically.
    NotAssessed,
    /// Inherited from the provider, its attestations holding.
    ProviderCovered,
    /// Inherited or shared, a cited attestation expired or not matching the scope.
    ProviderReview,
}

impl Outcome {
    /// Every outcome, worst first (the order for charts and sorting).
    pub const ALL: &'static [Outcome] = &[
        Outcome::NotMetAutomated,
        Outcome::NotMet,
        Outcome::PartiallyMet,
        Outcome::ProviderReview,
        Outcome::AutomatedUnknownNeedsReview,
        Outcome::AutomatedPassNeedsReview,
        Outcome::NotAssessed,
        Outcome::MetWithOpenQuestions,
        Outcome::MetCompensated,
        Outcome::Met,
        Outcome::ProviderCovered,
        Outcome::NotApplicable,
    ];
    /// Stable token (CSS classes, JSON, `data-testid` values).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NotApplicable => "not_applicable",
            Outcome::NotMetAutomated => "not_met_automated",
            Outcome::NotMet => "not_met",
            Outcome::PartiallyMet => "partially_met",
            Outcome::Met => "met",
            Outcome::MetWithOpenQuestions => "met_open_questions",
            Outcome::MetCompensated => "met_compensated",
            Outcome::AutomatedPassNeedsReview => "automated_pass_needs_review",
            Outcome::AutomatedUnknownNeedsReview => "automated_unknown_needs_review",
            Outcome::NotAssessed => "not_assessed",
            Outcome::ProviderCovered => "provider_covered",
            Outcome::ProviderReview => "provider_needs_review",
        }
    }
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::NotApplicable => "Not applicable",
            Outcome::NotMetAutomated => "Not met (automated)",
            Outcome::NotMet => "Not met",
            Outcome::PartiallyMet => "Partially met",
            Outcome::Met => "Met",
            Outcome::MetWithOpenQuestions => "Met (with open questions)",
            Outcome::MetCompensated => "Met (compensated)",
            Outcome::AutomatedPassNeedsReview => "Automated pass, needs review",
            Outcome::AutomatedUnknownNeedsReview => "Automated result unknown, needs review",
            Outcome::NotAssessed => "Not assessed",
            Outcome::ProviderCovered => "Covered by provider attestation",
            Outcome::ProviderReview => "Provider attestation needs review",
        }
    }
    /// Has a person given a verdict (counts towards "progress")? False for
    /// the three outcomes still waiting for a manual answer.
    pub fn is_assessed(self) -> bool {
        !matches!(
            self,
            Outcome::AutomatedPassNeedsReview | Outcome::AutomatedUnknownNeedsReview | Outcome::NotAssessed | Outcome::ProviderReview
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Step 3 of the rule: the outcome for an applicability, a manual status,
/// the automated result after decisions, and whether a compensating measure
/// is recorded for the control. Total over all inputs.
pub fn combine(applicability: &Applicability, status: ManualStatus, automated: Status, compensated: bool) -> Outcome {
    if applicability.is_excluded() {
        return Outcome::NotApplicable;
    }
    if automated == Status::Fail {
        return match (compensated, status) {
            (false, _) => Outcome::NotMetAutomated,
            (true, ManualStatus::NotImplemented) => Outcome::NotMet,
            (true, ManualStatus::PartiallyImplemented) => Outcome::PartiallyMet,
            (true, ManualStatus::NotApplicable) => Outcome::NotApplicable,
            (true, ManualStatus::Implemented | ManualStatus::NotAssessed) => Outcome::MetCompensated,
        };
    }
    match (status, automated) {
        (ManualStatus::NotImplemented, _) => Outcome::NotMet,
        (ManualStatus::PartiallyImplemented, _) => Outcome::PartiallyMet,
        (ManualStatus::NotApplicable, _) => Outcome::NotApplicable,
        (ManualStatus::Implemented, Status::Indeterminate) => Outcome::MetWithOpenQuestions,
        (ManualStatus::Implemented, Status::Pass | Status::NotApplicable | Status::Fail) => Outcome::Met,
        (ManualStatus::NotAssessed, Status::Pass) => Outcome::AutomatedPassNeedsReview,
        (ManualStatus::NotAssessed, Status::Indeterminate) => Outcome::AutomatedUnknownNeedsReview,
        (ManualStatus::NotAssessed, Status::NotApplicable | Status::Fail) => Outcome::NotAssessed,
    }
}

/// Step 4 of the rule: the outcome of a control with a provider part
/// (`part`, and whether its attestations hold today); `None` = no provider
/// part, the outcome of step 3 unchanged.
pub fn with_provider(base: Outcome, part: Option<(ProviderPart, bool)>) -> Outcome {
    match part {
        None => base,
        Some(_) if matches!(base, Outcome::NotApplicable | Outcome::NotMetAutomated) => base,
        Some((_, false)) => Outcome::ProviderReview,
        Some((ProviderPart::Inherited, true)) => Outcome::ProviderCovered,
        Some((ProviderPart::Shared, true)) => base,
    }
}

impl FindingDecision {
    /// Step 1 of the rule: in force with no expiry, or while `today` (days
    /// since 1970-01-01) is strictly before the expiry date.
    pub fn in_force(&self, today: i64) -> bool {
        self.expires.is_none_or(|d| today < d.days())
    }
}

/// The decision state of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionState {
    /// No decision recorded.
    None,
    /// A decision in force.
    InForce(DecisionKind),
    /// A decision whose expiry date has been reached.
    Expired(DecisionKind),
}

/// A finding's status after step 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    /// The status that counts: a failure covered by a decision in force
    /// becomes `NotApplicable` (neutral); everything else is unchanged.
    pub status: Status,
    /// The decision on the finding, if any.
    pub decision: DecisionState,
}

fn effective_with(finding: &Finding, decision: Option<&FindingDecision>, today: i64) -> Effective {
    let decision = match decision {
        None => DecisionState::None,
        Some(d) if d.in_force(today) => DecisionState::InForce(d.kind),
        Some(d) => DecisionState::Expired(d.kind),
    };
    let status = match (finding.status, decision) {
        (Status::Fail, DecisionState::InForce(_)) => Status::NotApplicable,
        (s, _) => s,
    };
    Effective { status, decision }
}

/// Step 1 for one finding (for the findings table).
pub fn effective(finding: &Finding, decisions: &[FindingDecision], today: i64) -> Effective {
    effective_with(finding, decisions.iter().find(|d| d.matches(finding)), today)
}

/// A control's result with the counts behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlRollUp {
    /// The outcome.
    pub outcome: Outcome,
    /// Automated result after decisions (step 2).
    pub automated: Status,
    /// Passing findings.
    pub pass: usize,
    /// Failing findings that count (no decision, or an expired one).
    pub fail: usize,
    /// Indeterminate findings.
    pub indeterminate: usize,
    /// Failing findings covered by a decision in force.
    pub accepted: usize,
    /// Failing findings whose decision has expired (included in `fail`).
    pub expired: usize,
}

fn roll_up_with<'a>(
    answer: &ControlAnswer,
    compensated: bool,
    findings: impl IntoIterator<Item = &'a Finding>,
    lookup: impl Fn(&Finding) -> Option<&'a FindingDecision>,
    today: i64,
) -> ControlRollUp {
    let (mut pass, mut fail, mut indeterminate, mut accepted, mut expired) = (0, 0, 0, 0, 0);
    for f in findings {
        // An imported finding that agrees with ours on the same condition is
        // that one item again: counted once (`ingest::scanners::join`).
        if f.origin.as_ref().and_then(|o| o.same_as.as_ref()).is_some_and(|s| s.agrees) {
            continue;
        }
        let e = effective_with(f, lookup(f), today);
        match (f.status, e.decision) {
            (Status::Fail, DecisionState::InForce(_)) => accepted += 1,
            (Status::Fail, DecisionState::Expired(_)) => expired += 1,
            _ => {}
        }
        match e.status {
            Status::Pass => pass += 1,
            Status::Fail => fail += 1,
            Status::Indeterminate => indeterminate += 1,
            Status::NotApplicable => {}
        }
    }
    let automated = if fail > 0 {
        Status::Fail
    } else if indeterminate > 0 {
        Status::Indeterminate
    } else if pass > 0 {
        Status::Pass
    } else {
        Status::NotApplicable
    };
    ControlRollUp {
        outcome: combine(&answer.applicable, answer.status, automated, compensated),
        automated,
        pass,
        fail,
        indeterminate,
        accepted,
        expired,
    }
}

/// The whole rule for one control: `findings` are that control's findings;
/// `compensated` says whether a compensating measure is recorded for it.
pub fn roll_up<'a>(
    answer: &ControlAnswer,
    compensated: bool,
    findings: impl IntoIterator<Item = &'a Finding>,
    decisions: &'a [FindingDecision],
    today: i64,
) -> ControlRollUp {
    roll_up_with(answer, compensated, findings, |f| decisions.iter().find(|d| d.matches(f)), today)
}

impl Workspace {
    /// The result of `control` from this workspace's answer, uploads and decisions.
    pub fn roll_up(&self, control: &ControlId, today: i64) -> ControlRollUp {
        let findings = self.findings().filter(|f| f.controls.contains(control));
        let mut r = roll_up(&self.answer(control), self.evidence().compensated(control), findings, self.decisions(), today);
        r.outcome = self.provider_outcome(control, r.outcome, today);
        r
    }
    /// Step 4 for `control` on `today`.
    fn provider_outcome(&self, control: &ControlId, base: Outcome, today: i64) -> Outcome {
        if !self.inherited().contains_key(control) {
            return base;
        }
        let c = self.coverage(control, today);
        with_provider(base, c.part().zip(c.holds()))
    }
    /// The result of every catalog control, in catalog order (one pass over
    /// the findings; use this for dashboards).
    pub fn roll_up_all(&self, today: i64) -> Vec<(ControlId, ControlRollUp)> {
        let mut by_control: BTreeMap<&ControlId, Vec<&Finding>> = BTreeMap::new();
        for f in self.findings() {
            for c in f.controls.iter() {
                by_control.entry(c).or_default().push(f);
            }
        }
        let decisions: HashMap<(&CheckId, &str), &FindingDecision> =
            self.decisions().iter().map(|d| ((&d.check, d.resource_id.as_str()), d)).collect();
        let lookup = |f: &Finding| decisions.get(&(&f.check, f.resource.id.as_str())).copied();
        Catalog::bundled()
            .controls()
            .iter()
            .map(|c| {
                let fs = by_control.get(&c.id).map(Vec::as_slice).unwrap_or_default();
                let mut r = roll_up_with(&self.answer(&c.id), self.evidence().compensated(&c.id), fs.iter().copied(), lookup, today);
                r.outcome = self.provider_outcome(&c.id, r.outcome, today);
                (c.id.clone(), r)
            })
            .collect()
    }
}

/// Progress: `assessed` of `total` controls as a whole percent, rounded to
/// the nearest (halves up), except that it reads 0 % only when nothing is
/// assessed and 100 % only when everything is (1 of 121 is 1 %, 30 of 121 is
/// 25 %, 120 of 121 is 99 %). 0 when `total` is 0. The assessment page, the
/// report, the shared view and the exports all show this number.
pub fn progress_percent(assessed: usize, total: usize) -> u8 {
    if total == 0 || assessed == 0 {
        return 0;
    }
    if assessed >= total {
        return 100;
    }
    let nearest = (assessed * 200 + total) / (total * 2);
    u8::try_from(nearest.clamp(1, 99)).unwrap_or(99)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::checks::ResourceRef;
    use crate::inventory::{Provider, SourceRef};
    use crate::model::Severity;
    use crate::workspace::model::{IsoDate, Workspaces};

    const E: bool = true; // excluded
    const A: bool = false; // applicable

    /// Every applicability × manual status × automated result: 2 × 5 × 4 = 40 rows.
    #[rustfmt::skip]
    const TABLE: &[(bool, ManualStatus, Status, Outcome)] = {
        use ManualStatus as M; use Status as S; use Outcome as O;
        &[
            (E, M::Implemented, S::Pass, O::NotApplicable),
            (E, M::Implemented, S::Fail, O::NotApplicable),
            (E, M::Implemented, S::Indeterminate, O::NotApplicable),
            (E, M::Implemented, S::NotApplicable, O::NotApplicable),
            (E, M::PartiallyImplemented, S::Pass, O::NotApplicable),
            (E, M::PartiallyImplemented, S::Fail, O::NotApplicable),
            (E, M::PartiallyImplemented, S::Indeterminate, O::NotApplicable),
            (E, M::PartiallyImplemented, S::NotApplicable, O::NotApplicable),
            (E, M::NotImplemented, S::Pass, O::NotApplicable),
            (E, M::NotImplemented, S::Fail, O::NotApplicable),
            (E, M::NotImplemented, S::Indeterminate, O::NotApplicable),
            (E, M::NotImplemented, S::NotApplicable, O::NotApplicable),
            (E, M::NotApplicable, S::Pass, O::NotApplicable),
            (E, M::NotApplicable, S::Fail, O::NotApplicable),
            (E, M::NotApplicable, S::Indeterminate, O::NotApplicable),
            (E, M::NotApplicable, S::NotApplicable, O::NotApplicable),
            (E, M::NotAssessed, S::Pass, O::NotApplicable),
            (E, M::NotAssessed, S::Fail, O::NotApplicable),
            (E, M::NotAssessed, S::Indeterminate, O::NotApplicable),
            (E, M::NotAssessed, S::NotApplicable, O::NotApplicable),
            (A, M::Implemented, S::Pass, O::Met),
            (A, M::Implemented, S::Fail, O::NotMetAutomated),
            (A, M::Implemented, S::Indeterminate, O::MetWithOpenQuestions),
            (A, M::Implemented, S::NotApplicable, O::Met),
            (A, M::PartiallyImplemented, S::Pass, O::PartiallyMet),
            (A, M::PartiallyImplemented, S::Fail, O::NotMetAutomated),
            (A, M::PartiallyImplemented, S::Indeterminate, O::PartiallyMet),
            (A, M::PartiallyImplemented, S::NotApplicable, O::PartiallyMet),
            (A, M::NotImplemented, S::Pass, O::NotMet),
            (A, M::NotImplemented, S::Fail, O::NotMetAutomated),
            (A, M::NotImplemented, S::Indeterminate, O::NotMet),
            (A, M::NotImplemented, S::NotApplicable, O::NotMet),
            (A, M::NotApplicable, S::Pass, O::NotApplicable),
            (A, M::NotApplicable, S::Fail, O::NotMetAutomated),
            (A, M::NotApplicable, S::Indeterminate, O::NotApplicable),
            (A, M::NotApplicable, S::NotApplicable, O::NotApplicable),
            (A, M::NotAssessed, S::Pass, O::AutomatedPassNeedsReview),
            (A, M::NotAssessed, S::Fail, O::NotMetAutomated),
            (A, M::NotAssessed, S::Indeterminate, O::AutomatedUnknownNeedsReview),
            (A, M::NotAssessed, S::NotApplicable, O::NotAssessed),
        ]
    };

    #[test]
    fn combine_table_is_exhaustive_and_holds() {
        let mut seen = std::collections::BTreeSet::new();
        for &(excluded, m, s, want) in TABLE {
            assert!(seen.insert((excluded, m, s)), "duplicate row {excluded} {m:?} {s:?}");
            let app = if excluded {
                Applicability::Excluded { justification: "out of scope".into() }
            } else {
                Applicability::Applicable
            };
            assert_eq!(combine(&app, m, s, false), want, "{} / {} / {}", app.as_str(), m.as_str(), s.as_str());
            // A compensating measure changes only an applicable control's automated failure.
            let compensated = match (excluded, s, m) {
                (false, Status::Fail, ManualStatus::NotImplemented) => Outcome::NotMet,
                (false, Status::Fail, ManualStatus::PartiallyImplemented) => Outcome::PartiallyMet,
                (false, Status::Fail, ManualStatus::NotApplicable) => Outcome::NotApplicable,
                (false, Status::Fail, ManualStatus::Implemented | ManualStatus::NotAssessed) => Outcome::MetCompensated,
                _ => want,
            };
            assert_eq!(combine(&app, m, s, true), compensated, "compensated: {} / {} / {}", app.as_str(), m.as_str(), s.as_str());
        }
        assert_eq!(seen.len(), 2 * ManualStatus::ALL.len() * Status::ALL.len());
        // Every outcome is reachable (Met (compensated) only with a compensation, the provider's two through step 4).
        for o in Outcome::ALL.iter().filter(|o| !matches!(o, Outcome::ProviderCovered | Outcome::ProviderReview | Outcome::MetCompensated)) {
            assert!(TABLE.iter().any(|r| r.3 == *o), "{o:?} unreachable");
        }
    }

    #[test]
    fn outcome_tokens_are_unique() {
        let mut tokens: Vec<_> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        tokens.sort();
        tokens.dedup();
        assert_eq!(tokens.len(), 12);
        assert_eq!(Outcome::MetCompensated.label(), "Met (compensated)");
        assert!(Outcome::MetCompensated.is_assessed());
        assert_eq!(Outcome::NotMetAutomated.label(), "Not met (automated)");
        assert!(!Outcome::NotAssessed.is_assessed() && Outcome::NotMet.is_assessed());
    }

    #[test]
    fn provider_parts_follow_step_4() {
        use ProviderPart::{Inherited, Shared};
        for base in Outcome::ALL.iter().copied().filter(|o| !matches!(o, Outcome::ProviderCovered | Outcome::ProviderReview)) {
            assert_eq!(with_provider(base, None), base);
            let kept = matches!(base, Outcome::NotApplicable | Outcome::NotMetAutomated);
            assert_eq!(with_provider(base, Some((Inherited, true))), if kept { base } else { Outcome::ProviderCovered });
            assert_eq!(with_provider(base, Some((Shared, true))), base);
            for part in [Inherited, Shared] {
                assert_eq!(with_provider(base, Some((part, false))), if kept { base } else { Outcome::ProviderReview });
            }
        }
        assert!(Outcome::ProviderCovered.is_assessed() && !Outcome::ProviderReview.is_assessed());
    }

    #[test]
    fn progress_rounds_to_the_nearest_but_never_to_none_or_all() {
        assert_eq!(progress_percent(30, 121), 25, "24.8 %");
        assert_eq!(progress_percent(29, 121), 24, "24.0 %");
        assert_eq!(progress_percent(1, 200), 1, "0.5 %: halves up");
        assert_eq!(progress_percent(1, 1000), 1, "some progress is never 0 %");
        assert_eq!(progress_percent(999, 1000), 99, "not all is never 100 %");
        assert_eq!(progress_percent(120, 121), 99);
        assert_eq!(progress_percent(121, 121), 100);
        assert_eq!(progress_percent(0, 121), 0);
        assert_eq!(progress_percent(0, 0), 0);
    }

    /// A finding of `check` on the bucket `resource` for `control` (the workspace's tests share it).
    pub(crate) fn finding(check: &str, resource: &str, status: Status, control: &str) -> Finding {
        Finding {
            check: check.parse().unwrap(),
            controls: vec![control.parse().unwrap()].into(),
            status,
            severity: Severity::High,
            resource: ResourceRef {
                provider: Provider::Aws,
                kind: "object_bucket".into(),
                native_type: "aws_s3_bucket".into(),
                id: resource.into(),
                name: resource.into(),
                account: None,
                source: SourceRef { file: "t.json".into(), pointer: "/0".into(), line: None },
            }
            .into(),
            message: "m".into(),
            reason: None,
            evidence: Default::default(),
            origin: None,
        }
    }

    fn decision(check: &str, resource: &str, expires: Option<&str>) -> FindingDecision {
        FindingDecision {
            check: check.parse().unwrap(),
            resource_id: resource.into(),
            kind: DecisionKind::Waived,
            reason: "compensating control".into(),
            expires: expires.map(|e| e.parse::<IsoDate>().unwrap()),
        }
    }

    fn day(s: &str) -> i64 {
        s.parse::<IsoDate>().unwrap().days()
    }

    #[test]
    fn decisions_expire_on_their_date() {
        let f = finding("aws_s3_bucket_versioning", "b1", Status::Fail, "12.3.1");
        let d = [decision("aws_s3_bucket_versioning", "b1", Some("2026-06-01"))];
        let before = effective(&f, &d, day("2026-05-31"));
        assert_eq!(before, Effective { status: Status::NotApplicable, decision: DecisionState::InForce(DecisionKind::Waived) });
        let on = effective(&f, &d, day("2026-06-01"));
        assert_eq!(on, Effective { status: Status::Fail, decision: DecisionState::Expired(DecisionKind::Waived) });
        // No expiry: in force for ever; another resource: not covered.
        let forever = [decision("aws_s3_bucket_versioning", "b1", None)];
        assert_eq!(effective(&f, &forever, 1_000_000).status, Status::NotApplicable);
        let other = [decision("aws_s3_bucket_versioning", "b2", None)];
        assert_eq!(effective(&f, &other, 0), Effective { status: Status::Fail, decision: DecisionState::None });
        // A decision on a passing finding changes nothing.
        let p = finding("aws_s3_bucket_versioning", "b1", Status::Pass, "12.3.1");
        assert_eq!(effective(&p, &forever, 0).status, Status::Pass);
    }

    #[test]
    fn roll_up_applies_decisions_then_the_table() {
        let implemented = ControlAnswer { status: ManualStatus::Implemented, ..Default::default() };
        let fs = [
            finding("aws_s3_bucket_versioning", "b1", Status::Fail, "12.3.1"),
            finding("aws_s3_bucket_versioning", "b2", Status::Pass, "12.3.1"),
        ];
        let none: [FindingDecision; 0] = [];
        let r = roll_up(&implemented, false, &fs, &none, 0);
        assert_eq!((r.outcome, r.fail, r.pass), (Outcome::NotMetAutomated, 1, 1));

        let d = [decision("aws_s3_bucket_versioning", "b1", Some("2026-06-01"))];
        let r = roll_up(&implemented, false, &fs, &d, day("2026-05-01"));
        assert_eq!((r.outcome, r.automated, r.accepted, r.fail), (Outcome::Met, Status::Pass, 1, 0));
        let r = roll_up(&implemented, false, &fs, &d, day("2026-07-01"));
        assert_eq!((r.outcome, r.expired, r.fail), (Outcome::NotMetAutomated, 1, 1));

        // Only a waived failure: neutral, so a not-assessed control stays not assessed.
        let r = roll_up(&ControlAnswer::default(), false, &fs[..1], &d, day("2026-05-01"));
        assert_eq!((r.outcome, r.automated), (Outcome::NotAssessed, Status::NotApplicable));
    }

    #[test]
    fn workspace_roll_up_all_matches_per_control() {
        let mut ws = Workspaces::new();
        ws.create("A", 1).unwrap();
        let w = ws.active_mut().unwrap();
        let fs = vec![
            finding("aws_s3_bucket_versioning", "b1", Status::Fail, "12.3.1"),
            finding("aws_s3_bucket_versioning", "b2", Status::Indeterminate, "10.1.1"),
        ];
        w.upsert_upload(crate::workspace::UploadRecord::new("t.json", b"x", None, 2, 0, fs), 2).unwrap();
        let c: ControlId = "10.1.1".parse().unwrap();
        w.set_answer(&c, ControlAnswer { status: ManualStatus::Implemented, ..Default::default() }, 3).unwrap();
        let all = w.roll_up_all(0);
        assert_eq!(all.len(), Catalog::bundled().controls().len());
        for (id, r) in &all {
            assert_eq!(*r, w.roll_up(id, 0), "{id}");
        }
        assert_eq!(w.roll_up(&c, 0).outcome, Outcome::MetWithOpenQuestions);
        assert_eq!(w.roll_up(&"12.3.1".parse().unwrap(), 0).outcome, Outcome::NotMetAutomated);
        assert_eq!(w.roll_up(&"5.1.1".parse().unwrap(), 0).outcome, Outcome::NotAssessed);
    }
}
