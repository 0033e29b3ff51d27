//! Small SVG charts (no library): stacked bars and a horizontal bar list.
//! Every chart has a text alternative (a table-like `<desc>` and visible
//! numbers), and colours come from CSS classes so print and dark mode apply.

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
    /// Row label (e.g. "Clause 9").
    pub label: String,
    /// Segments, in legend order.
    pub segments: Vec<Segment>,
}

/// Horizontal stacked bars, one per row, scaled to each row's total (100 %).
#[component]
pub fn StackedBars(
    /// Chart title (also the accessible name).
    title: String,
    /// Rows.
    rows: Vec<StackRow>,
    /// data-testid.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    let legend: Vec<(&'static str, &'static str)> =
        rows.first().map(|r| r.segments.iter().map(|s| (s.class, s.label)).collect()).unwrap_or_default();
    let row_h = 22.0;
    let label_w = 150.0;
    let bar_w = 420.0;
    let height = rows.len() as f64 * row_h + 4.0;
    let desc = rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = r.segments.iter().filter(|s| s.value > 0).map(|s| format!("{} {}", s.label, s.value)).collect();
            format!("{}: {}", r.label, if parts.is_empty() { "none".into() } else { parts.join(", ") })
        })
        .collect::<Vec<_>>()
        .join("; ");
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let y = i as f64 * row_h + 2.0;
            let total: usize = r.segments.iter().map(|s| s.value).sum();
            let mut x = label_w;
            let segs = r
                .segments
                .iter()
                .filter(|s| s.value > 0)
                .map(|s| {
                    let w = bar_w * s.value as f64 / total.max(1) as f64;
                    let rect = view! {
                        <rect class=format!("seg {}", s.class) x=fixed(x, 1) y=fixed(y, 1) width=fixed(w, 1) height=fixed(row_h - 6.0, 1)>
                            <title>{format!("{}: {} {}", r.label, s.value, s.label)}</title>
                        </rect>
                    };
                    x += w;
                    rect
                })
                .collect_view();
            let label = r.label.clone();
            view! {
                <g>
                    <text class="chart-label" x="0" y=fixed(y + row_h - 10.0, 1)>{label}</text>
                    {segs}
                    <text class="chart-total" x=fixed(label_w + bar_w + 6.0, 1) y=fixed(y + row_h - 10.0, 1)>{total.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {} {}", fixed(label_w + bar_w + 40.0, 0), fixed(height, 0)) role="img" aria-label=title.clone() preserveAspectRatio="xMinYMin meet">
                <desc>{desc}</desc>
                {bars}
            </svg>
            <ul class="legend">
                {legend.into_iter().map(|(class, label)| view! { <li><span class=format!("swatch {class}")></span>{label}</li> }).collect_view()}
            </ul>
        </figure>
    }
}

/// Horizontal bars with absolute values (e.g. failing checks by severity).
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
    let row_h = 24.0;
    let label_w = 110.0;
    let bar_w = 300.0;
    let height = rows.len() as f64 * row_h + 4.0;
    let desc = rows.iter().map(|r| format!("{} {}", r.1, r.2)).collect::<Vec<_>>().join(", ");
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (class, label, value))| {
            let y = i as f64 * row_h + 2.0;
            let w = (bar_w * value as f64 / max as f64).max(if value > 0 { 2.0 } else { 0.0 });
            view! {
                <g>
                    <text class="chart-label" x="0" y=fixed(y + row_h - 10.0, 1)>{label.clone()}</text>
                    <rect class=format!("seg {class}") x=fixed(label_w, 1) y=fixed(y, 1) width=fixed(w, 1) height=fixed(row_h - 8.0, 1)>
                        <title>{format!("{label}: {value}")}</title>
                    </rect>
                    <text class="chart-total" x=fixed(label_w + w + 6.0, 1) y=fixed(y + row_h - 10.0, 1)>{value.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {} {}", fixed(label_w + bar_w + 60.0, 0), fixed(height, 0)) role="img" aria-label=title.clone() preserveAspectRatio="xMinYMin meet">
                <desc>{desc}</desc>
                {bars}
            </svg>
        </figure>
    }
}
