//! The catalog as documents: a versioned JSON contract and a Markdown book.
//! Used by `iso27017 catalog` and, later, by the report exports.
//!
//! **Invariant:** the JSON shape is a DTO of its own ([`CatalogJsonV1`]);
//! changing it means a new version number, never a silent change.

use super::items::Item;
use super::{Catalog, GuidanceSet, Part};
use crate::model::{ControlId, ControlKind, MappingBasis, Responsibility};
use serde::Serialize;
use std::fmt::Write as _;

/// Version of the catalog JSON format (2: the evidence list and the audit
/// questions as items with ids, where version 1 had the evidence as Markdown).
pub const CATALOG_JSON_VERSION: u32 = 2;

/// The catalog JSON document, version 2.
#[derive(Debug, Serialize)]
pub struct CatalogJsonV1<'a> {
    /// Always `iso27017-assessor/catalog`.
    pub format: &'static str,
    /// [`CATALOG_JSON_VERSION`].
    pub version: u32,
    /// Edition described.
    pub edition: EditionJson,
    /// Clauses with their categories.
    pub clauses: Vec<ClauseJson>,
    /// Controls in the standard's order.
    pub controls: Vec<ControlJson<'a>>,
}

/// Edition block.
#[derive(Debug, Serialize)]
pub struct EditionJson {
    /// Stable key.
    pub id: &'static str,
    /// Name of the standard.
    pub standard: &'static str,
    /// Identical publication.
    pub also_published_as: &'static str,
    /// Control set it builds on.
    pub base: &'static str,
}

/// A clause.
#[derive(Debug, Serialize)]
pub struct ClauseJson {
    /// Clause number.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Categories.
    pub categories: Vec<CategoryJson>,
}

/// A category.
#[derive(Debug, Serialize)]
pub struct CategoryJson {
    /// Category number.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Control ids in order.
    pub controls: Vec<String>,
}

/// A control.
#[derive(Debug, Serialize)]
pub struct ControlJson<'a> {
    /// Id.
    pub id: String,
    /// Title.
    pub title: &'static str,
    /// Clause number.
    pub clause: u8,
    /// Category id.
    pub category: &'static str,
    /// Kind.
    pub kind: ControlKind,
    /// 2022 correspondence.
    pub iso27002_2022: Vec<MappingJson>,
    /// Default responsibility (absent if guidance is missing).
    pub responsibility: Option<ResponsibilityJson<'a>>,
    /// Guidance parts in Markdown.
    pub guidance: Option<GuidanceJson<'a>>,
}

/// A 2022 mapping.
#[derive(Debug, Serialize)]
pub struct MappingJson {
    /// 2022 id.
    pub id: &'static str,
    /// 2022 title.
    pub title: &'static str,
    /// Basis.
    pub basis: MappingBasis,
}

/// Responsibility block.
#[derive(Debug, Serialize)]
pub struct ResponsibilityJson<'a> {
    /// IaaS.
    pub iaas: Responsibility,
    /// PaaS.
    pub paas: Responsibility,
    /// SaaS.
    pub saas: Responsibility,
    /// Why.
    pub note: &'a str,
}

/// Guidance block (Markdown).
#[derive(Debug, Serialize)]
pub struct GuidanceJson<'a> {
    /// Intent.
    pub intent: &'a str,
    /// Customer part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<&'a str>,
    /// Provider part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<&'a str>,
    /// Evidence an auditor will ask for, item by item.
    pub evidence: Vec<ItemJson<'a>>,
    /// Pitfalls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitfalls: Option<&'a str>,
    /// Questions an auditor asks in an interview.
    pub questions: Vec<ItemJson<'a>>,
}

/// An evidence item or audit question.
#[derive(Debug, Serialize)]
pub struct ItemJson<'a> {
    /// Stable id, qualified by the control: `12.4.2-e1`, `12.4.2-q1`.
    pub id: String,
    /// Text (inline Markdown).
    pub text: &'a str,
}

fn items_json<'a, const L: char>(control: &ControlId, items: &'a [Item<L>]) -> Vec<ItemJson<'a>> {
    items.iter().map(|i| ItemJson { id: i.qualified(control), text: &i.text }).collect()
}

impl<'a> CatalogJsonV1<'a> {
    /// Build the document from a catalog and its guidance.
    pub fn from_catalog(catalog: &Catalog, guidance: &'a GuidanceSet) -> Self {
        let e = catalog.edition();
        let clauses = catalog
            .clauses()
            .map(|cl| ClauseJson {
                id: cl.id,
                title: cl.title,
                categories: catalog
                    .groups()
                    .iter()
                    .filter(|g| g.parent == Some(cl.id))
                    .map(|cat| CategoryJson {
                        id: cat.id,
                        title: cat.title,
                        controls: catalog.controls_in(cat.id).map(|c| c.id.to_string()).collect(),
                    })
                    .collect(),
            })
            .collect();
        let controls = catalog
            .controls()
            .iter()
            .map(|c| ControlJson {
                id: c.id.to_string(),
                title: c.title,
                clause: c.clause,
                category: c.category,
                kind: c.kind,
                iso27002_2022: c.mappings.iter().map(|m| MappingJson { id: m.id, title: m.title, basis: m.basis }).collect(),
                responsibility: c.default_responsibility.map(|r| ResponsibilityJson {
                    iaas: r.iaas,
                    paas: r.paas,
                    saas: r.saas,
                    note: guidance.get(&c.id).map_or("", |g| g.responsibility_note.as_str()),
                }),
                guidance: guidance.get(&c.id).map(|g| GuidanceJson {
                    intent: &g.summary,
                    customer: g.customer.as_deref(),
                    provider: g.provider.as_deref(),
                    evidence: items_json(&c.id, &g.evidence_items),
                    pitfalls: g.pitfalls.as_deref(),
                    questions: items_json(&c.id, &g.audit_questions),
                }),
            })
            .collect();
        CatalogJsonV1 {
            format: "iso27017-assessor/catalog",
            version: CATALOG_JSON_VERSION,
            edition: EditionJson { id: e.id, standard: e.standard, also_published_as: e.also_published_as, base: e.base },
            clauses,
            controls,
        }
    }
}

/// The catalog with its guidance as pretty-printed JSON (format [`CatalogJsonV1`]).
pub fn to_json(catalog: &Catalog, guidance: &GuidanceSet) -> String {
    // Serialising plain structs of strings and enums cannot fail.
    serde_json::to_string_pretty(&CatalogJsonV1::from_catalog(catalog, guidance)).unwrap_or_default()
}

/// The catalog with its guidance as one Markdown document, clause by clause.
pub fn to_markdown(catalog: &Catalog, guidance: &GuidanceSet) -> String {
    let mut out = String::new();
    let e = catalog.edition();
    let _ = writeln!(out, "# {} control catalog\n", e.standard);
    let _ = writeln!(
        out,
        "{} controls: the {} controls plus the cloud extended (CLD) controls. Guidance written by the iso27017-assessor team; control numbers and titles are those of the standard.\n",
        catalog.controls().len(),
        e.base
    );
    for cl in catalog.clauses() {
        let _ = writeln!(out, "## {} {}\n", cl.id, cl.title);
        for cat in catalog.groups().iter().filter(|g| g.parent == Some(cl.id)) {
            let _ = writeln!(out, "### {} {}\n", cat.id, cat.title);
            for c in catalog.controls_in(cat.id) {
                let _ = writeln!(out, "#### {} {}\n", c.id, c.title);
                let maps: Vec<String> = c
                    .mappings
                    .iter()
                    .map(|m| {
                        let suffix = if m.basis == MappingBasis::Analyst { " (suggested)" } else { "" };
                        format!("{} {}{suffix}", m.id, m.title)
                    })
                    .collect();
                let _ = writeln!(out, "- Kind: {}", c.kind.label());
                let _ = writeln!(out, "- ISO/IEC 27002:2022 / 27001:2022 Annex A: {}", maps.join("; "));
                let text = guidance.get(&c.id);
                if let Some(r) = c.default_responsibility {
                    let _ = writeln!(
                        out,
                        "- Responsibility: IaaS {}, PaaS {}, SaaS {}. {}\n",
                        r.iaas.label(),
                        r.paas.label(),
                        r.saas.label(),
                        text.map_or("", |g| g.responsibility_note.as_str())
                    );
                } else {
                    out.push('\n');
                }
                if let Some(g) = text {
                    for part in Part::ALL {
                        let Some(md) = g.part(*part) else { continue };
                        let _ = writeln!(out, "**{}**\n", part.heading());
                        // The lists with their ids, which checklists and answers cite.
                        match part {
                            Part::Evidence => items_markdown(&mut out, &c.id, &g.evidence_items),
                            Part::Questions => items_markdown(&mut out, &c.id, &g.audit_questions),
                            _ => {
                                let _ = writeln!(out, "{}\n", demote_headings(md));
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn items_markdown<const L: char>(out: &mut String, control: &ControlId, items: &[Item<L>]) {
    for i in items {
        let _ = writeln!(out, "- **{}** {}", i.qualified(control), i.text);
    }
    out.push('\n');
}

/// Guidance may use `###` inside a part; nest it under the control's `####`.
fn demote_headings(md: &str) -> String {
    md.lines()
        .map(|l| if l.starts_with('#') { format!("##{l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}
