//! Every finding of the active assessment: a virtualised table (only the
//! visible rows are in the DOM, so 400,000 findings scroll smoothly) with
//! sort, filter and search (`table`), and the evidence panel of the selected
//! finding (`evidence`) with its waiver / risk-acceptance form (`decision`).
//!
//! Layout: on wide screens the panel sits beside the table; below
//! [`NARROW_PX`] it opens as a sheet over the page, with a close button.
//! Keyboard: the rows are one tab stop (roving `tabindex`); arrows, Home/End
//! and PageUp/PageDown move between rows, Enter opens the evidence and moves
//! focus into it, Escape returns focus to the row.
//!
//! **Invariant:** nothing is parsed or evaluated here: titles come from the
//! bundled `RuleSet`, statuses after decisions from `workspace::rollup`,
//! accounts and sources from the upload's findings.

mod decision;
mod evidence;
mod table;

use crate::checks::{Finding, RuleSet};
use crate::model::{Severity, Status};
use crate::route::Route;
use crate::ui::state::RouterCtx;
use crate::ui::ws::WsCtx;
use crate::workspace::rollup::{effective, DecisionState};
use crate::workspace::{DecisionKind, FindingDecision};
use evidence::EvidencePanel;
use leptos::prelude::*;
use std::collections::HashMap;
use table::{FindingsTable, SortKey};

/// (upload index, finding index) of a finding in the active workspace.
pub(super) type At = (usize, usize);

/// Below this viewport width (CSS pixels) the evidence opens as a sheet and
/// rows are laid out as cards; `style/main.css` uses the same breakpoint.
const NARROW_PX: f64 = 1024.0;

/// The status filter of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    /// Everything but passing and not applicable: failing and unknown first,
    /// then waived and accepted (the default).
    NotPassing,
    /// Failing (no decision in force).
    Fail,
    /// Unknown (the data could not tell).
    Unknown,
    /// Waived or risk accepted, in force.
    Decided,
    /// Passing.
    Pass,
    /// Everything.
    All,
}

impl StatusFilter {
    const ALL: [StatusFilter; 6] =
        [StatusFilter::NotPassing, StatusFilter::Fail, StatusFilter::Unknown, StatusFilter::Decided, StatusFilter::Pass, StatusFilter::All];
    fn as_str(self) -> &'static str {
        match self {
            StatusFilter::NotPassing => "open",
            StatusFilter::Fail => "fail",
            StatusFilter::Unknown => "unknown",
            StatusFilter::Decided => "decided",
            StatusFilter::Pass => "pass",
            StatusFilter::All => "all",
        }
    }
    fn label(self) -> &'static str {
        match self {
            StatusFilter::NotPassing => "Failing, unknown and decided",
            StatusFilter::Fail => "Failing",
            StatusFilter::Unknown => "Unknown",
            StatusFilter::Decided => "Waived or accepted",
            StatusFilter::Pass => "Passing",
            StatusFilter::All => "All, passing included",
        }
    }
    fn parse(s: &str) -> StatusFilter {
        StatusFilter::ALL.into_iter().find(|f| f.as_str() == s).unwrap_or(StatusFilter::NotPassing)
    }
    fn keeps(self, eff: Effective) -> bool {
        match self {
            StatusFilter::NotPassing => !matches!(eff, Effective::Pass | Effective::NotApplicable),
            StatusFilter::Fail => eff == Effective::Fail,
            StatusFilter::Unknown => eff == Effective::Unknown,
            StatusFilter::Decided => matches!(eff, Effective::Accepted | Effective::Waived),
            StatusFilter::Pass => eff == Effective::Pass,
            StatusFilter::All => true,
        }
    }
}

/// A finding's status after decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effective {
    Fail,
    Unknown,
    Accepted,
    Waived,
    Pass,
    NotApplicable,
}

impl Effective {
    /// Token for CSS and `data-status`.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Effective::Fail => "fail",
            Effective::Unknown => "unknown",
            Effective::Accepted => "accepted",
            Effective::Waived => "waived",
            Effective::Pass => "pass",
            Effective::NotApplicable => "na",
        }
    }
}

/// The status of `f` after the decisions of its workspace, and its label.
pub(super) fn effective_label(f: &Finding, decisions: &[FindingDecision], today: i64) -> (Effective, &'static str) {
    let e = effective(f, decisions, today);
    match (f.status, e.decision) {
        (Status::Fail, DecisionState::InForce(DecisionKind::Waived)) => (Effective::Waived, "Waived"),
        (Status::Fail, DecisionState::InForce(DecisionKind::RiskAccepted)) => (Effective::Accepted, "Risk accepted"),
        (Status::Fail, DecisionState::Expired(_)) => (Effective::Fail, "Fail (decision expired)"),
        (Status::Fail, _) => (Effective::Fail, "Fail"),
        (Status::Indeterminate, _) => (Effective::Unknown, "Unknown"),
        (Status::Pass, _) => (Effective::Pass, "Pass"),
        (Status::NotApplicable, _) => (Effective::NotApplicable, "Not applicable"),
    }
}

/// Failing, unknown, passing, not applicable: the table's status order.
fn status_rank(s: Status) -> u8 {
    match s {
        Status::Fail => 0,
        Status::Indeterminate => 1,
        Status::Pass => 2,
        Status::NotApplicable => 3,
    }
}

/// The check's title from the bundled rules; for a finding imported from
/// another scanner, the tool's title (its id if neither is known).
pub(super) fn check_title(f: &Finding) -> String {
    match RuleSet::bundled_heads().rule(f.check.as_str()) {
        Some(r) => r.title.clone(),
        None => f.imported().map_or_else(|| f.check.to_string(), |i| i.title.to_string()),
    }
}

/// The value of the "Found by" filter for findings of our own checks.
const OUR_CHECKS: &str = "ours";

/// Who found `f`, as the "Found by" filter names it: [`OUR_CHECKS`], or the
/// name of the scanner whose findings file it was imported from.
fn source_of(f: &Finding) -> &str {
    f.imported().map_or(OUR_CHECKS, |i| i.tool.name.as_str())
}

/// The line under the title: the check id, and for an imported finding the
/// tool that found it (`checkov:CKV_AWS_19 · Checkov 3.3.30`).
pub(super) fn check_source(f: &Finding) -> String {
    match f.imported() {
        Some(i) => match &i.tool.version {
            Some(v) => format!("{} · {} {v}", f.check, i.tool.name),
            None => format!("{} · {}", f.check, i.tool.name),
        },
        None => f.check.to_string(),
    }
}

/// Does `hay` contain `needle` (already lower-case), ignoring case, without
/// allocating for ASCII text (the usual case for resource ids and checks)?
fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// What the table and the panel share: which finding is open, which row
/// holds the keyboard focus, and whether the sheet is open on a phone.
#[derive(Clone, Copy)]
pub(super) struct Selection {
    /// The finding shown in the evidence panel.
    pub selected: RwSignal<Option<At>>,
    /// The row that is the table's one tab stop.
    pub active: RwSignal<Option<At>>,
    /// The evidence is open as a sheet (narrow screens only; on wide screens
    /// the panel is always beside the table).
    pub open: RwSignal<bool>,
    /// The viewport is below [`NARROW_PX`].
    pub narrow: RwSignal<bool>,
    /// The table's scroll position (CSS pixels).
    pub scroll: RwSignal<f64>,
    /// The rows as filtered and sorted.
    pub rows: Memo<Vec<At>>,
    /// The evidence fragment shown in the panel (`WsCtx::fragment`).
    fragment: RwSignal<Option<crate::ui::ws::FragmentState>>,
}

impl Selection {
    /// Show the evidence of `at` and move the focus into the panel.
    pub fn open_finding(&self, at: At) {
        if self.selected.get_untracked() != Some(at) {
            self.fragment.set(None);
        }
        self.active.set(Some(at));
        self.selected.set(Some(at));
        self.open.set(true);
        // After the panel has rendered the new finding.
        request_animation_frame(|| focus_selector("[data-testid=\"evidence-panel\"] #evidence-title"));
    }
    /// Close the sheet (narrow screens) and give the focus back to the row.
    pub fn back_to_row(&self) {
        self.open.set(false);
        if let Some(at) = self.active.get_untracked().or(self.selected.get_untracked()) {
            self.focus_row(at);
        }
    }
    /// Scroll the row of `at` into view and focus it.
    pub fn focus_row(&self, at: At) {
        if let Some(i) = self.rows.with_untracked(|r| r.iter().position(|x| *x == at)) {
            table::reveal(i, table::row_height(self.narrow.get_untracked()), self.scroll);
        }
        table::focus_row(at);
    }
}

/// Focus the first element matching `selector`, if any.
pub(super) fn focus_selector(selector: &str) {
    if let Ok(Some(el)) = document().query_selector(selector) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

fn is_narrow() -> bool {
    window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w < NARROW_PX)
}

/// The page.
#[component]
pub fn FindingsPage() -> impl IntoView {
    super::set_title("Findings");
    let ctx = WsCtx::expect();
    let router = RouterCtx::expect();
    let today = ctx.today;
    let control = Memo::new(move |_| match router.route.get() {
        Route::Findings(c) => c,
        _ => None,
    });
    let query = RwSignal::new(String::new());
    let status = RwSignal::new(StatusFilter::NotPassing);
    let severity = RwSignal::new(None::<Severity>);
    // Who found it (our checks, or an imported scanner by name) and whose account it is; `None` = all.
    let source = RwSignal::new(None::<String>);
    let account = RwSignal::new(None::<String>);
    let sort = RwSignal::new((SortKey::Status, false));
    let narrow = RwSignal::new(is_narrow());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        let n = is_narrow();
        if narrow.get_untracked() != n {
            narrow.set(n);
        }
    });
    on_cleanup(move || resize.remove());

    // Filter and sort indices only; rows read the findings in place.
    let rows = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase();
        let st = status.get();
        let sv = severity.get();
        let ctl = control.get();
        let src = source.get();
        let acct = account.get();
        let (key, desc) = sort.get();
        let rules = RuleSet::bundled_heads();
        ctx.ws.with(|w| {
            let Some(a) = w.active() else { return Vec::new() };
            // One title per check (few), not one rule lookup per finding.
            let mut titles: HashMap<&str, &str> = HashMap::new();
            // Sorted by the status found, not the one after decisions: a
            // decision changes its row in place instead of moving it away.
            let mut out: Vec<(u8, At)> = Vec::new();
            for (ui, u) in a.uploads().iter().enumerate() {
                for (fi, f) in u.findings.iter().enumerate() {
                    if ctl.as_ref().is_some_and(|c| !f.controls.contains(c)) {
                        continue;
                    }
                    if src.as_deref().is_some_and(|want| source_of(f) != want)
                        || acct.as_deref().is_some_and(|want| f.resource.account.as_deref() != Some(want))
                    {
                        continue;
                    }
                    let (eff, _) = effective_label(f, a.decisions(), today);
                    if !st.keeps(eff) || sv.is_some_and(|s| f.severity != s) {
                        continue;
                    }
                    let title = *titles
                        .entry(f.check.as_str())
                        .or_insert_with(|| match rules.rule(f.check.as_str()) {
                            Some(r) => r.title.as_str(),
                            None => f.imported().map_or(f.check.as_str(), |i| i.title.as_str()),
                        });
                    // The message is written out only when the cheaper fields do not match.
                    if !q.is_empty()
                        && !(contains_ci(&f.resource.id, &q)
                            || contains_ci(&f.resource.name, &q)
                            || contains_ci(f.check.as_str(), &q)
                            || contains_ci(title, &q)
                            || f.resource.account.as_deref().is_some_and(|acc| contains_ci(acc, &q))
                            || contains_ci(&f.resource.source.file, &q)
                            || contains_ci(&f.message.to_string(), &q))
                    {
                        continue;
                    }
                    out.push((status_rank(f.status), (ui, fi)));
                }
            }
            let get = |at: &At| &a.uploads()[at.0].findings[at.1];
            let title = |f: &Finding| titles.get(f.check.as_str()).copied().unwrap_or("");
            out.sort_by(|(ex, x), (ey, y)| {
                let (fx, fy) = (get(x), get(y));
                let ord = match key {
                    SortKey::Status => ex.cmp(ey).then(fy.severity.cmp(&fx.severity)),
                    SortKey::Severity => fy.severity.cmp(&fx.severity).then(ex.cmp(ey)),
                    SortKey::Check => title(fx).cmp(title(fy)).then(ex.cmp(ey)),
                    SortKey::Resource => fx.resource.name.cmp(&fy.resource.name),
                };
                let ord = ord.then(fx.resource.id.cmp(&fy.resource.id));
                if desc { ord.reverse() } else { ord }
            });
            out.into_iter().map(|(_, at)| at).collect::<Vec<At>>()
        })
    });
    let filters = Memo::new(move |_| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (query.get(), status.get().as_str(), severity.get().map(|s| s.as_str()), control.get().map(|c| c.to_string()), source.get(), account.get()).hash(&mut h);
        h.finish()
    });
    let sel = Selection {
        selected: RwSignal::new(None),
        active: RwSignal::new(None),
        open: RwSignal::new(false),
        narrow,
        scroll: RwSignal::new(0.0),
        rows,
        fragment: ctx.fragment,
    };
    let total = move || ctx.ws.with(|w| w.active().map(|a| a.uploads().iter().map(|u| u.findings.len()).sum::<usize>()).unwrap_or(0));
    // The sources and accounts of this assessment's findings, each once, sorted: the filters' choices.
    let choices = Memo::new(move |_| {
        ctx.ws.with(|w| {
            let mut sources = std::collections::BTreeSet::new();
            let mut accounts = std::collections::BTreeSet::new();
            for f in w.active().into_iter().flat_map(|a| a.uploads()).flat_map(|u| u.findings.iter()) {
                if f.imported().is_some() {
                    sources.insert(source_of(f).to_string());
                }
                if let Some(acc) = f.resource.account.as_deref() {
                    accounts.insert(acc.to_string());
                }
            }
            (sources.into_iter().collect::<Vec<_>>(), accounts.into_iter().collect::<Vec<_>>())
        })
    });
    let pick = |v: String| (v != "all").then_some(v);
    // The filter and search are part of the page's state: a new filter starts at the top.
    let passing_hidden = move || matches!(status.get(), StatusFilter::NotPassing | StatusFilter::Fail | StatusFilter::Unknown | StatusFilter::Decided);

    view! {
        <div class="page findings-page">
            <header class="page-head">
                <h1>"Findings"</h1>
                <p class="muted">{move || match control.get() {
                    Some(c) => format!("Findings of control {c}. "),
                    None => String::new(),
                }}
                {move || control.get().map(|_| view! { <a href="#/findings">"Show all findings"</a> })}
                " "<a href="#/assess">"Back to the assessment"</a></p>
            </header>
            <div class="table-tools" role="search" aria-label="Filter the findings">
                <label>"Search "<input type="search" data-testid="findings-search" placeholder="check, resource, account, file or message"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/></label>
                <label>"Status "
                    <select data-testid="findings-status" prop:value=move || status.get().as_str()
                        on:change=move |ev| status.set(StatusFilter::parse(&event_target_value(&ev)))>
                        {StatusFilter::ALL.iter().map(|f| view! {
                            <option value=f.as_str() selected=move || status.get() == *f>{f.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" class="btn btn-small" data-testid="findings-show-passing" aria-pressed=move || (!passing_hidden()).to_string()
                    on:click=move |_| status.set(if passing_hidden() { StatusFilter::All } else { StatusFilter::NotPassing })>
                    {move || if passing_hidden() { "Show passing too" } else { "Hide passing" }}
                </button>
                <label>"Severity "
                    <select data-testid="findings-severity" on:change=move |ev| severity.set(event_target_value(&ev).parse().ok())>
                        <option value="all">"All"</option>
                        {Severity::ALL.iter().rev().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                {move || {
                    let (sources, _) = choices.get();
                    (!sources.is_empty()).then(|| view! {
                        <label>"Found by "
                            <select data-testid="findings-source" on:change=move |ev| source.set(pick(event_target_value(&ev)))>
                                <option value="all">"All sources"</option>
                                <option value=OUR_CHECKS selected=move || source.get().as_deref() == Some(OUR_CHECKS)>"Our checks"</option>
                                {sources.into_iter().map(|t| {
                                    let (v, label) = (t.clone(), t.clone());
                                    view! { <option value=t selected=move || source.get().as_deref() == Some(v.as_str())>{label}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    })
                }}
                {move || {
                    let (_, accounts) = choices.get();
                    (accounts.len() > 1).then(|| view! {
                        <label>"Account "
                            <select data-testid="findings-account" on:change=move |ev| account.set(pick(event_target_value(&ev)))>
                                <option value="all">"All accounts"</option>
                                {accounts.into_iter().map(|t| {
                                    let (v, label) = (t.clone(), t.clone());
                                    view! { <option value=t selected=move || account.get().as_deref() == Some(v.as_str())>{label}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    })
                }}
                <span class="muted" data-testid="findings-count" role="status">{move || {
                    let n = rows.with(Vec::len);
                    format!("{n} of {} findings", total())
                }}</span>
                <span class="muted" data-testid="findings-filter-state">{move || if passing_hidden() { "Passing checks are hidden." } else { "" }}</span>
            </div>
            <crate::ui::components::BulkDecisions rows=rows/>
            <div class="findings-layout">
                <FindingsTable sort=sort filters=filters sel=sel/>
                <EvidencePanel sel=sel/>
            </div>
        </div>
    }
}
