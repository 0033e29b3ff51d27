//! The results of a workspace per account, subscription or project: which
//! part of an organisation fails. Counted in the report's one pass over the
//! findings ([`super::Report::from_workspace`]), after decisions (a failure
//! under a decision in force counts as accepted, as in the control roll-up).

use crate::checks::{Finding, ResourceRef};
use crate::inventory::Provider;
use crate::model::Status;
use std::collections::{HashMap, HashSet};

/// One account (AWS), subscription (Azure), project (Google Cloud) or
/// cluster context (Kubernetes), or the resources whose export does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow<'a> {
    /// The provider.
    pub provider: Provider,
    /// The account, subscription or project id; `None` when the exports do not state it.
    pub account: Option<&'a str>,
    /// Resources with at least one finding.
    pub resources: usize,
    /// Passing findings.
    pub pass: usize,
    /// Failing findings without a decision in force.
    pub fail: usize,
    /// Failing findings under a waiver or risk acceptance in force.
    pub accepted: usize,
    /// Findings that could not be decided.
    pub unknown: usize,
}

impl AccountRow<'_> {
    /// What the provider calls an account.
    pub fn noun(&self) -> &'static str {
        match self.provider {
            Provider::Aws => "account",
            Provider::Azure => "subscription",
            Provider::Gcp => "project",
            Provider::Kubernetes => "cluster",
            Provider::Other => "account",
        }
    }

    /// The account for people: its id, or that the exports do not say.
    pub fn label(&self) -> String {
        match self.account {
            Some(a) => a.to_string(),
            None => format!("{} not stated in the exports", self.noun()),
        }
    }
}

/// Accumulates [`AccountRow`]s, one finding at a time.
#[derive(Default)]
pub(super) struct AccountTally<'a> {
    index: HashMap<(Provider, Option<&'a str>), usize>,
    rows: Vec<AccountRow<'a>>,
    /// Resources already counted (a resource is shared by its findings).
    seen: HashSet<*const ResourceRef>,
}

impl<'a> AccountTally<'a> {
    /// Count `f`; `accepted`: it fails under a decision in force.
    pub(super) fn add(&mut self, f: &'a Finding, accepted: bool) {
        let key = (f.resource.provider, f.resource.account.as_deref());
        let i = *self.index.entry(key).or_insert_with(|| {
            self.rows.push(AccountRow { provider: key.0, account: key.1, resources: 0, pass: 0, fail: 0, accepted: 0, unknown: 0 });
            self.rows.len() - 1
        });
        let Some(row) = self.rows.get_mut(i) else { return };
        if self.seen.insert(std::sync::Arc::as_ptr(&f.resource)) {
            row.resources += 1;
        }
        match f.status {
            Status::Pass => row.pass += 1,
            Status::Fail if accepted => row.accepted += 1,
            Status::Fail => row.fail += 1,
            Status::Indeterminate => row.unknown += 1,
            Status::NotApplicable => {}
        }
    }

    /// The rows: most failing first, then by provider and account (the
    /// unstated last of its provider).
    pub(super) fn finish(mut self) -> Vec<AccountRow<'a>> {
        self.rows.sort_by(|a, b| {
            (std::cmp::Reverse(a.fail), a.provider, a.account.is_none(), a.account).cmp(&(
                std::cmp::Reverse(b.fail),
                b.provider,
                b.account.is_none(),
                b.account,
            ))
        });
        self.rows
    }
}
