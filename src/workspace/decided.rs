//! A workspace's finding decisions (waivers and risk acceptances) applied to
//! an assessment made outside the app: `iso27017 assess --workspace`. Each
//! failing finding is looked up once by check and resource id, and judged by
//! [`rollup::effective`](super::rollup::effective), the very function behind
//! the app's findings table and roll-up, so the CLI and the app say the same
//! thing of the same decision on the same day.
//!
//! **Invariant:** no clock: the caller gives `today` (days since 1970-01-01).
//! A decision only ever concerns a failing finding; on any other it changes
//! nothing and is not reported.

use super::model::{DecisionKind, FindingDecision, IsoDate};
use super::rollup::{effective, DecisionState};
use crate::checks::Finding;
use crate::model::{CheckId, Status};
use std::collections::HashMap;

/// Decisions ready to be applied on one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decided {
    today: i64,
    /// Check → resource id → decision.
    by_key: HashMap<CheckId, HashMap<String, FindingDecision>>,
}

/// The decision on one failing finding, as judged on the day of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied<'a> {
    /// The decision as recorded.
    pub decision: &'a FindingDecision,
    /// In force today (the finding counts as not failing); false once its
    /// expiry date is reached (the finding fails again).
    pub in_force: bool,
}

impl Applied<'_> {
    /// What the finding is, in a word or two: `waived`, `risk accepted`.
    pub fn words(&self) -> &'static str {
        match self.decision.kind {
            DecisionKind::Waived => "waived",
            DecisionKind::RiskAccepted => "risk accepted",
        }
    }
    /// The expiry date, if any.
    pub fn expires(&self) -> Option<IsoDate> {
        self.decision.expires
    }
    /// One sentence for people: `waived until 2026-09-30: <reason>`, or, once
    /// expired, `waiver expired on 2026-06-01: <reason>` (the reason as recorded:
    /// escape it for the target document).
    pub fn note(&self) -> String {
        let what = match self.decision.kind {
            DecisionKind::Waived => ("waived", "waiver"),
            DecisionKind::RiskAccepted => ("risk accepted", "risk acceptance"),
        };
        match (self.in_force, self.decision.expires) {
            (true, Some(d)) => format!("{} until {d}: {}", what.0, self.decision.reason),
            (true, None) => format!("{}: {}", what.0, self.decision.reason),
            (false, Some(d)) => format!("{} expired on {d}: {}", what.1, self.decision.reason),
            // Without an expiry a decision never lapses; kept total.
            (false, None) => format!("{} not in force: {}", what.1, self.decision.reason),
        }
    }
}

impl Decided {
    /// `decisions` as they hold on `today` (days since 1970-01-01). Of two
    /// decisions on the same check and resource the first wins, as in the app.
    pub fn new(decisions: &[FindingDecision], today: i64) -> Decided {
        let mut by_key = HashMap::with_capacity(decisions.len());
        for d in decisions {
            let of_check: &mut HashMap<String, FindingDecision> = by_key.entry(d.check.clone()).or_default();
            of_check.entry(d.resource_id.clone()).or_insert_with(|| d.clone());
        }
        Decided { today, by_key }
    }
    /// No decision at all.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
    /// The day the decisions are judged on.
    pub fn today(&self) -> i64 {
        self.today
    }
    /// The decision on `f` when it fails and one was recorded.
    pub fn of(&self, f: &Finding) -> Option<Applied<'_>> {
        if f.status != Status::Fail || self.by_key.is_empty() {
            return None;
        }
        let d = self.by_key.get(&f.check)?.get(&*f.resource.id)?;
        let in_force = match effective(f, std::slice::from_ref(d), self.today).decision {
            DecisionState::InForce(_) => true,
            DecisionState::Expired(_) | DecisionState::None => false,
        };
        Some(Applied { decision: d, in_force })
    }
    /// Does a decision in force cover `f` (a failure that does not count)?
    pub fn covers(&self, f: &Finding) -> bool {
        self.of(f).is_some_and(|a| a.in_force)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(status: Status, resource: &str) -> Finding {
        crate::workspace::rollup::tests::finding("aws_s3_bucket_versioning", resource, status, "12.3.1")
    }

    fn decision(kind: DecisionKind, expires: Option<&str>) -> FindingDecision {
        FindingDecision {
            check: "aws_s3_bucket_versioning".parse().unwrap(),
            resource_id: "b1".into(),
            kind,
            reason: "compensating control".into(),
            expires: expires.map(|e| e.parse().unwrap()),
        }
    }

    fn day(s: &str) -> i64 {
        s.parse::<IsoDate>().unwrap().days()
    }

    #[test]
    fn a_decision_holds_before_its_expiry_and_lapses_on_it() {
        let d = [decision(DecisionKind::Waived, Some("2026-06-01"))];
        let f = finding(Status::Fail, "b1");
        let before = Decided::new(&d, day("2026-05-31"));
        let a = before.of(&f).unwrap();
        assert!(a.in_force && before.covers(&f));
        assert_eq!(a.note(), "waived until 2026-06-01: compensating control");
        let on = Decided::new(&d, day("2026-06-01"));
        let a = on.of(&f).unwrap();
        assert!(!a.in_force && !on.covers(&f));
        assert_eq!(a.note(), "waiver expired on 2026-06-01: compensating control");
        // The same judgement as the app's findings table.
        for today in [day("2026-05-31"), day("2026-06-01")] {
            let app = effective(&f, &d, today).status == Status::NotApplicable;
            assert_eq!(Decided::new(&d, today).covers(&f), app);
        }
    }

    #[test]
    fn only_failing_findings_of_the_same_resource_are_decided() {
        let d = [decision(DecisionKind::RiskAccepted, None)];
        let decided = Decided::new(&d, 0);
        assert_eq!(decided.of(&finding(Status::Fail, "b1")).map(|a| a.words()), Some("risk accepted"));
        assert!(decided.of(&finding(Status::Pass, "b1")).is_none());
        assert!(decided.of(&finding(Status::Indeterminate, "b1")).is_none());
        assert!(decided.of(&finding(Status::Fail, "b2")).is_none());
        assert!(Decided::default().of(&finding(Status::Fail, "b1")).is_none());
    }
}
