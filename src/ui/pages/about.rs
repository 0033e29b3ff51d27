use crate::Catalog;
use leptos::prelude::*;

/// What the tool is, how it treats data, and where its content comes from.
#[component]
pub fn AboutPage() -> impl IntoView {
    let e = Catalog::bundled().edition();
    super::set_title("About");
    view! {
        <div class="page narrow about-page">
            <h1>"About"</h1>
            <p>
                {format!("This tool bundles the control catalog of {} (published identically as {}), which applies the {} controls to cloud services and adds seven cloud extended controls. ", e.standard, e.also_published_as, e.base)}
                "For every control it gives guidance written by our team, for the cloud service customer and the cloud service provider, with the evidence auditors ask for and the default split of responsibility under IaaS, PaaS and SaaS."
            </p>
            <h2>"Your data stays here"</h2>
            <p>"The app is a static page. It makes no request except for its own files, has no account and no server, and works offline once loaded."</p>
            <h2>"Content and copyright"</h2>
            <p>"Control numbers, titles and the ISO/IEC 27002:2022 correspondence are facts taken from the published standards. The guidance is our own writing, not the text of the standards, which is available from ISO and ITU-T. Mappings for the CLD controls are suggestions: no official correspondence exists for them."</p>
            <h2>"Default responsibility"</h2>
            <p>"“Provider” means the cloud service provider carries the control for the customer’s use of the service under that model; “Customer” means the customer does; “Shared” means each carries its own part. These are defaults to start an assessment from: your contracts and the provider’s documentation decide."</p>
            <h2>"Keyboard"</h2>
            <ul>
                <li><kbd>"/"</kbd>" focuses the search box."</li>
                <li><kbd>"Esc"</kbd>" in the search box clears it."</li>
                <li>"Every control, filter and part has a link you can bookmark or share; the address never leaves your browser."</li>
            </ul>
        </div>
    }
}
