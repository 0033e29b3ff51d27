//! "Save as my assessment": a shared report becomes a new workspace of the
//! recipient. What a link carries comes back (scope, each control's
//! applicability, status, responsibility and notes); what it does not carry
//! cannot: owners, target dates, decisions, uploads and their findings (a
//! link has finding summaries, not findings). The recipient re-creates
//! findings by dropping the exports; until then, controls whose outcome came
//! from automated checks show the manual answer alone. [`ADOPT_NOTE`] says so
//! in the UI.
//!
//! **Invariant:** only validated content is adopted: [`adopt`] goes through
//! the workspace's validating setters and changes nothing on error.

use super::payload::ShareV1;
use crate::workspace::{ControlAnswer, Scope, WorkspaceError, WorkspaceId, Workspaces};

/// What the UI tells the user before and after adopting a link.
pub const ADOPT_NOTE: &str = "The new assessment gets the scope and each control's applicability, status, responsibility and notes from the link. \
Automated findings are not in a link: drop your exports into it to evaluate them again.";

/// Create a workspace named `name` from `share` and make it active.
pub fn adopt(share: &ShareV1, all: &mut Workspaces, name: &str, now: u64) -> Result<WorkspaceId, WorkspaceError> {
    let mut next = all.clone();
    let id = next.create(name, now)?;
    {
        let Some(ws) = next.get_mut(&id) else { return Err(WorkspaceError::NotFound(id.as_str().to_string())) };
        ws.set_scope(
            Scope {
                organisation: share.scope.organisation.clone(),
                roles: share.scope.roles.clone(),
                service_models: share.scope.service_models.clone(),
                providers: share.scope.providers.clone(),
            },
            now,
        )?;
        for c in &share.controls {
            let answer = ControlAnswer {
                applicable: c.applicability(),
                status: c.status,
                responsible: c.responsibility,
                notes_md: c.notes_md.clone(),
                ..ControlAnswer::default()
            };
            ws.set_answer(&c.id, answer, now)?;
        }
    }
    next.set_active(&id)?;
    *all = next;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::{decode, encode, ShareOptions};
    use crate::workspace::{Applicability, ManualStatus};
    use crate::model::ControlId;

    #[test]
    fn a_link_becomes_an_assessment_with_the_same_answers() {
        let mut mine = Workspaces::new();
        let id = mine.create("Prod", 1).unwrap();
        let c: ControlId = "CLD.9.5.1".parse().unwrap();
        let x: ControlId = "11.1.1".parse().unwrap();
        {
            let ws = mine.get_mut(&id).unwrap();
            ws.set_answer(&c, ControlAnswer { status: ManualStatus::Implemented, notes_md: "Per-tenant VPCs".into(), ..Default::default() }, 2).unwrap();
            ws.set_answer(&x, ControlAnswer { applicable: Applicability::Excluded { justification: "No data centre".into() }, status: ManualStatus::NotApplicable, ..Default::default() }, 2).unwrap();
        }
        let share = ShareV1::from_workspace(mine.get(&id).unwrap(), 20_000, &ShareOptions::ALL);
        let link = encode(&share).unwrap();
        let received = decode(&link).unwrap();
        let mut theirs = Workspaces::new();
        let new_id = adopt(&received, &mut theirs, "From link", 5).unwrap();
        let ws = theirs.active().unwrap();
        assert_eq!(ws.id(), &new_id);
        assert_eq!(ws.answer(&c).status, ManualStatus::Implemented);
        assert_eq!(ws.answer(&c).notes_md, "Per-tenant VPCs");
        assert!(ws.answer(&x).applicable.is_excluded());
        // Same outcomes for controls without automated evidence.
        let again = ShareV1::from_workspace(ws, 20_000, &ShareOptions::ALL);
        assert_eq!(again.controls, share.controls);
    }

    #[test]
    fn a_bad_name_changes_nothing() {
        let share = ShareV1::from_workspace(Workspaces::new().active().cloned().as_ref().unwrap_or(&{
            let mut w = Workspaces::new();
            let id = w.create("x", 1).unwrap();
            w.get(&id).unwrap().clone()
        }), 20_000, &ShareOptions::default());
        let mut theirs = Workspaces::new();
        assert!(adopt(&share, &mut theirs, "   ", 5).is_err());
        assert!(theirs.list().is_empty());
    }
}
