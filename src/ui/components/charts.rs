//! Bar charts in HTML and CSS (no library, no SVG): stacked bars and a bar
//! list. Labels are ordinary text, so they wrap instead of being cut and keep
//! the page's font size; each segment shows its value when it has room, and
//! each row carries its numbers as text (read by screen readers, printed on
//! paper). Colours come from CSS classes shared by the bars and the legend
//! swatches, so both look the same on screen and in print.

use crate::report::workspace_report::fixed;
use leptos::prelude::*;

/// One stacked segment: CSS class, label, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// CSS class (colour).
    pub class: &'static str,
    /// Legend label.
    pub label: &'static str,
    /// Value.
    pub value: usize,
}

/// One row of a stacked bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct StackRow {
    /// Row label, shown in full (e.g. "9 Access control").
    pub label: String,
    /// Segments, in legend order.
    pub segments: Vec<Segment>,
}

/// Smallest share of a bar (in percent) whose segment shows its value.
const VALUE_SHOWN_FROM: f64 = 6.0;

/// The numbers of a row in words: "Met 3 · Not met 1" ("none" when empty).
fn row_values(segments: &[Segment]) -> String {
    let parts: Vec<String> = segments.iter().filter(|s| s.value > 0).map(|s| format!("{} {}", s.label, s.value)).collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" · ")
    }
}

/// Horizontal stacked bars, one per row, each scaled to its row's total
/// (100 %), with a legend above.
#[component]
pub fn StackedBars(
    /// Chart title.
    title: String,
    /// Rows.
    rows: Vec<StackRow>,
    /// data-testid.
    #[prop(optional)]
    testid: &'static str,
    /// Span the whole width of the chart grid.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let legend: Vec<(&'static str, &'static str)> =
        rows.first().map(|r| r.segments.iter().map(|s| (s.class, s.label)).collect()).unwrap_or_default();
    let rows = rows
        .into_iter()
        .map(|r| {
            let total: usize = r.segments.iter().map(|s| s.value).sum();
            let values = row_values(&r.segments);
            let segs = r
                .segments
                .iter()
                .filter(|s| s.value > 0)
                .map(|s| {
                    let pct = 100.0 * s.value as f64 / total.max(1) as f64;
                    view! {
                        <span class=format!("seg {}", s.class) data-class=s.class style:width=format!("{}%", fixed(pct, 2))
                            title=format!("{}: {} {}", r.label, s.value, s.label)>
                            {(pct >= VALUE_SHOWN_FROM).then(|| s.value.to_string())}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <li class="hbar-row">
                    <span class="hbar-label">{r.label.clone()}</span>
                    <span class="hbar" aria-hidden="true">{segs}</span>
                    <span class="hbar-total" aria-hidden="true">{total.to_string()}</span>
                    <span class="hbar-values">{format!("{values} (of {total})")}</span>
                </li>
            }
        })
        .collect_view();
    let class = if wide { "chart chart-wide" } else { "chart" };
    view! {
        <figure class=class data-testid=testid>
            <figcaption>{title}</figcaption>
            <ul class="legend" aria-hidden="true">
                {legend.into_iter().map(|(class, label)| view! { <li><span class=format!("swatch {class}") data-class=class></span>{label}</li> }).collect_view()}
            </ul>
            <ul class="hbars">{rows}</ul>
        </figure>
    }
}

/// Horizontal bars with absolute values (e.g. failing checks by severity),
/// scaled to the largest; each value is written after its bar.
#[component]
pub fn ValueBars(
    /// Chart title.
    title: String,
    /// (class, label, value).
    rows: Vec<(&'static str, String, usize)>,
    /// data-testid.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1);
    let rows = rows
        .into_iter()
        .map(|(class, label, value)| {
            let pct = 100.0 * value as f64 / max as f64;
            view! {
                <li class="hbar-row">
                    <span class="hbar-label">{label.clone()}</span>
                    <span class="hbar hbar-value-track" aria-hidden="true">
                        {(value > 0).then(|| view! {
                            <span class=format!("seg {class}") data-class=class style:width=format!("{}%", fixed(pct, 2)) title=format!("{label}: {value}")></span>
                        })}
                        <span class="hbar-value">{value.to_string()}</span>
                    </span>
                    <span class="visually-hidden">{format!(": {value}")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title}</figcaption>
            <ul class="hbars">{rows}</ul>
        </figure>
    }
}
