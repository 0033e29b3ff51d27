//! The start page: what the tool is, in a few lines, and the two first steps
//! (start an assessment, browse the controls).

use crate::ui::ws::WsCtx;
use crate::Catalog;
use leptos::prelude::*;

/// The page at `#/` (and with no fragment).
#[component]
pub fn HomePage() -> impl IntoView {
    super::set_title("Start");
    let catalog = Catalog::bundled();
    let e = catalog.edition();
    let ctx = WsCtx::expect();
    // Say so when there is work to come back to (it opens where it was left).
    let resume = move || {
        ctx.ws.with(|w| {
            w.active()
                .filter(|a| !a.uploads().is_empty() || !a.answers().is_empty())
                .map(|a| format!("Your assessment \u{201c}{}\u{201d} opens where you left it.", a.name()))
        })
    };
    view! {
        <div class="page narrow home" data-testid="home">
            <h1>"Assess your cloud against ISO/IEC 27017"</h1>
            <p class="lede home-lede">
                {format!(
                    "Check your cloud services against the {} controls of {}: the ISO/IEC 27002 controls applied to cloud services and seven cloud extended controls. ",
                    catalog.controls().len(),
                    e.standard
                )}
                "Drop configuration exports from AWS, Azure, Google Cloud, Kubernetes or Terraform and the checks run at once; "
                "record what configuration cannot show, then print, export or share the report."
            </p>
            <p class="home-private" data-testid="home-private">
                <strong>"Everything stays in this browser."</strong>
                " Nothing you drop or type is uploaded: there is no server, no account, and the app works offline once loaded."
            </p>
            <div class="home-actions">
                <a class="btn btn-primary btn-large" href="#/assess" data-testid="start-assessment">"Start an assessment"</a>
                <a class="btn btn-large" href="#/controls" data-testid="browse-controls">"Browse the controls"</a>
            </div>
            {move || resume().map(|t| view! { <p class="muted" data-testid="home-resume">{t}</p> })}
            <h2>"How it works"</h2>
            <ol class="home-steps">
                <li><strong>"Add exports"</strong>" — or load the sample data to see the tool at work."</li>
                <li><strong>"Set the scope and answer"</strong>" the controls that configuration cannot show (policies, contracts, people)."</li>
                <li><strong>"Report"</strong>" — print it or save it as PDF, export CSV, Markdown or OSCAL, or share a link that carries the report itself."</li>
            </ol>
        </div>
    }
}
