use crate::route::control_href;
use crate::Catalog;
use leptos::prelude::*;

/// ISO/IEC 27002:2022 controls and the 27017 controls that correspond to them.
#[component]
pub fn MappingsPage() -> impl IntoView {
    let catalog = Catalog::bundled();
    super::set_title("ISO/IEC 27002:2022 mapping");
    view! {
        <div class="page mappings-page">
            <h1>"ISO/IEC 27002:2022 / 27001:2022 Annex A mapping"</h1>
            <p class="lede">
                "Each ISO/IEC 27002:2022 control (the same numbers as ISO/IEC 27001:2022 Annex A) with the ISO/IEC 27017:2015 controls that correspond to it. "
                "Rows for the 2013 controls follow the official correspondence table; links from the CLD controls are suggested mappings."
            </p>
            <div class="table-wrap">
                <table class="mapping-table" data-testid="mapping-table">
                    <caption class="visually-hidden">"ISO/IEC 27002:2022 controls and corresponding ISO/IEC 27017 controls"</caption>
                    <thead><tr><th scope="col">"2022"</th><th scope="col">"Title"</th><th scope="col">"Theme"</th><th scope="col">"ISO/IEC 27017:2015 controls"</th></tr></thead>
                    <tbody>
                        {catalog.iso2022().iter().map(|k| {
                            let mapped: Vec<_> = catalog.mapped_to_2022(k.id).collect();
                            view! {
                                <tr>
                                    <th scope="row">{k.id}</th>
                                    <td>{k.title}{k.new_in_2022.then(|| view! { " " <span class="badge badge-new">"New in 2022"</span> })}</td>
                                    <td>{k.theme.label()}</td>
                                    <td>
                                        {if mapped.is_empty() {
                                            view! { <span class="muted">"None (new control)"</span> }.into_any()
                                        } else {
                                            mapped.into_iter().map(|c| view! {
                                                <a class="chip" href=control_href(&c.id) title=c.title>{c.id.to_string()}</a>
                                            }).collect_view().into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
