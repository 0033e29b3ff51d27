//! Typed app routes carried in the URL fragment (`#/controls/CLD.9.5.1`), so
//! deep links work on any static host and the fragment never reaches a server.
//!
//! **Invariant:** parsing never fails: anything unrecognised becomes
//! [`Route::NotFound`] and unknown query parameters are ignored.
//! `Route::parse(r.to_hash()) == r` for every route (tested).

use crate::catalog::{Filter, Part};
use crate::model::{ControlId, Role, ServiceModel};

/// A page of the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Route {
    /// The start page: what the tool is and the first step (`#/`, or no fragment).
    #[default]
    Home,
    /// Catalog browser with search and filters.
    Controls(Filter),
    /// One control, optionally scrolled to a part.
    Control {
        /// The control.
        id: ControlId,
        /// Part to scroll to.
        part: Option<Part>,
    },
    /// ISO/IEC 27002:2022 → 27017 correspondence table.
    Mappings,
    /// About, privacy and licensing.
    About,
    /// The assessment workspace: uploads, scope, dashboard, per-control answers.
    Assess,
    /// Every automated finding of the active assessment (sortable,
    /// filterable), optionally only those of one control.
    Findings(Option<ControlId>),
    /// Manage the named assessments (create, rename, duplicate, delete, import, export).
    Workspaces,
    /// The report of the active assessment, with its share link and exports.
    Report,
    /// A shared report: the link's payload after `#/share/` (decoded by
    /// `share::decode`, which checks every limit).
    Shared(String),
    /// Anything else (the original fragment, for the message).
    NotFound(String),
}

/// Longest fragment we look at; longer input is cut (a tampered link cannot
/// make us allocate without bound).
const MAX_FRAGMENT: usize = 2048;

/// Prefix of share links (`#/share/v1.…`). Share links are recognised before
/// the [`MAX_FRAGMENT`] cut; their own cap is [`MAX_SHARE_FRAGMENT`].
pub const SHARE_PREFIX: &str = "#/share/";

/// Longest share payload kept (the codec refuses links over 64 KiB anyway).
pub const MAX_SHARE_FRAGMENT: usize = 70_000;

impl Route {
    /// Parse a `location.hash` value (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let with_hash = if hash.starts_with('#') { hash } else { "" };
        if let Some(payload) = with_hash.strip_prefix(SHARE_PREFIX).or_else(|| hash.strip_prefix(&SHARE_PREFIX[1..])) {
            let mut end = payload.len().min(MAX_SHARE_FRAGMENT);
            while !payload.is_char_boundary(end) {
                end -= 1;
            }
            return Route::Shared(payload[..end].to_string());
        }
        let mut end = hash.len().min(MAX_FRAGMENT);
        while !hash.is_char_boundary(end) {
            end -= 1;
        }
        let h = hash[..end].trim_start_matches('#');
        let (path, query) = h.split_once('?').unwrap_or((h, ""));
        let segments: Vec<String> =
            path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        match segs.as_slice() {
            [] => Route::Home,
            ["controls"] => Route::Controls(parse_filter(query)),
            ["controls", id] | ["controls", id, _] => match id.parse::<ControlId>() {
                Ok(id) => {
                    let part = segs.get(2).and_then(|p| Part::from_token(p));
                    if segs.len() == 3 && part.is_none() {
                        return Route::NotFound(h.to_string());
                    }
                    Route::Control { id, part }
                }
                Err(_) => Route::NotFound(h.to_string()),
            },
            ["mappings"] => Route::Mappings,
            ["about"] => Route::About,
            ["assess"] => Route::Assess,
            ["findings"] => Route::Findings(
                query.split('&').find_map(|p| p.strip_prefix("control=")).and_then(|c| percent_decode(c).parse().ok()),
            ),
            ["workspaces"] => Route::Workspaces,
            ["report"] => Route::Report,
            _ => Route::NotFound(h.to_string()),
        }
    }

    /// The fragment for this route, starting with `#/`.
    pub fn to_hash(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Controls(f) => {
                let q = filter_query(f);
                if q.is_empty() {
                    "#/controls".into()
                } else {
                    format!("#/controls?{q}")
                }
            }
            Route::Control { id, part: None } => format!("#/controls/{id}"),
            Route::Control { id, part: Some(p) } => format!("#/controls/{id}/{}", p.as_str()),
            Route::Mappings => "#/mappings".into(),
            Route::About => "#/about".into(),
            Route::Assess => "#/assess".into(),
            Route::Findings(None) => "#/findings".into(),
            Route::Findings(Some(c)) => format!("#/findings?control={c}"),
            Route::Workspaces => "#/workspaces".into(),
            Route::Report => "#/report".into(),
            Route::Shared(p) => format!("{SHARE_PREFIX}{p}"),
            Route::NotFound(s) => format!("#{s}"),
        }
    }
}

/// Link to a control page.
pub fn control_href(id: &ControlId) -> String {
    Route::Control { id: id.clone(), part: None }.to_hash()
}

fn parse_filter(query: &str) -> Filter {
    let mut f = Filter::default();
    for pair in query.split('&').take(32) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "q" => f.query = v.chars().take(200).collect(),
            "clause" => f.clause = v.parse().ok().filter(|c| (5..=18).contains(c)),
            "role" => f.role = v.parse::<Role>().ok(),
            "model" => {
                for m in v.split(',').filter_map(|m| m.parse::<ServiceModel>().ok()) {
                    if !f.models.contains(&m) {
                        f.models.push(m);
                    }
                }
                f.models.sort();
            }
            "cloud" => f.cloud_guidance_only = v == "1",
            "cld" => f.cld_only = v == "1",
            _ => {}
        }
    }
    f
}

fn filter_query(f: &Filter) -> String {
    let mut parts = Vec::new();
    if !f.query.trim().is_empty() {
        parts.push(format!("q={}", percent_encode(&f.query)));
    }
    if let Some(c) = f.clause {
        parts.push(format!("clause={c}"));
    }
    if let Some(r) = f.role {
        parts.push(format!("role={}", r.as_str()));
    }
    if !f.models.is_empty() {
        let mut models = f.models.clone();
        models.sort();
        parts.push(format!("model={}", models.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")));
    }
    if f.cloud_guidance_only {
        parts.push("cloud=1".into());
    }
    if f.cld_only {
        parts.push("cld=1".into());
    }
    parts.join("&")
}

/// Percent-encode everything but unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes and `+` (as space); invalid escapes stay as they are,
/// invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_routes() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
        assert_eq!(Route::parse("#/controls"), Route::Controls(Filter::default()));
        assert_eq!(Route::parse("#/?q=x"), Route::Home, "the start page has no filters");
        assert_eq!(
            Route::parse("#/controls/CLD.9.5.1"),
            Route::Control { id: "CLD.9.5.1".parse().unwrap(), part: None }
        );
        assert_eq!(
            Route::parse("#/controls/cld.9.5.1/csp"),
            Route::Control { id: "CLD.9.5.1".parse().unwrap(), part: Some(Part::Provider) }
        );
        assert_eq!(Route::parse("#/mappings"), Route::Mappings);
        assert!(matches!(Route::parse("#/controls/9.1.2/nope"), Route::NotFound(_)));
        assert!(matches!(Route::parse("#/controls/<img src=x>"), Route::NotFound(_)));
        assert!(matches!(Route::parse("#/wat"), Route::NotFound(_)));
        for r in [Route::Home, Route::Controls(Filter::default()), Route::Assess, Route::Findings(None), Route::Findings(Some("CLD.9.5.1".parse().unwrap())), Route::Workspaces, Route::Report, Route::Shared("v1.abc".into())] {
            assert_eq!(Route::parse(&r.to_hash()), r);
        }
    }

    #[test]
    fn share_links_are_recognised_past_the_route_cap() {
        let payload = format!("v1.{}", "A".repeat(20_000));
        assert_eq!(Route::parse(&format!("#/share/{payload}")), Route::Shared(payload));
        let Route::Shared(p) = Route::parse(&format!("#/share/{}", "é".repeat(100_000))) else { panic!("shared") };
        assert!(p.len() <= MAX_SHARE_FRAGMENT);
    }

    #[test]
    fn filters_round_trip() {
        let f = Filter {
            query: "virtual machine & 5.23 ü".into(),
            clause: Some(9),
            role: Some(Role::Csp),
            models: vec![ServiceModel::Iaas, ServiceModel::Saas],
            cloud_guidance_only: true,
            cld_only: true,
        };
        let r = Route::Controls(f);
        assert_eq!(Route::parse(&r.to_hash()), r);
    }

    #[test]
    fn hostile_fragments_do_not_panic() {
        for h in ["#%", "#/controls?q=%", "#/controls?q=%zz%4", "#/controls?clause=999&role=x&model=,,,", "#/%F0%9F", "#é/ü"] {
            let _ = Route::parse(h);
        }
        let long = format!("#/controls?q={}", "é".repeat(5000));
        let Route::Controls(f) = Route::parse(&long) else { panic!("expected controls") };
        assert!(f.query.chars().count() <= 200);
        assert_eq!(percent_decode("a%20b+c%zz"), "a b c%zz");
    }
}
