//! `frontend_routes`: SvelteKit route files under `src/routes/`, as URLs.

use recon_findings::{FrontendRoute, FrontendRouteKind};

use crate::collect::WithColumn;

/// None: a route file gives its finding from its path alone, and every
/// route file passes the prefilter ([`super::path_findings`]).
pub(super) const LITERALS: &[&str] = &[];

/// The HTTP method exports of a `+server` endpoint, in this order.
pub const ENDPOINT_METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "fallback",
];

/// What a route file is, from its name.
fn kind_of(name: &str) -> Option<FrontendRouteKind> {
    let (base, ext) = name.rsplit_once('.')?;
    let base = base.split('@').next().unwrap_or(base);
    match (base, ext) {
        ("+page", "svelte") => Some(FrontendRouteKind::Page),
        ("+layout", "svelte") => Some(FrontendRouteKind::Layout),
        ("+server", "ts" | "js") => Some(FrontendRouteKind::Endpoint),
        _ => None,
    }
}

/// The route a file is, when it is one: `(url, kind)`.
pub fn route_of(file: &str) -> Option<(String, FrontendRouteKind)> {
    let parts: Vec<&str> = file.split('/').collect();
    let routes = parts
        .windows(2)
        .position(|w| w[0] == "src" && w[1] == "routes")?;
    let (name, dirs) = parts.split_last()?;
    let kind = kind_of(name)?;
    let segments: Vec<&str> = dirs
        .get(routes + 2..)?
        .iter()
        .copied()
        .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
        .collect();
    Some((format!("/{}", segments.join("/")), kind))
}

/// The route finding of a file (none when it is no route file); `exports`
/// are the names the file exports.
pub(super) fn route(file: &str, exports: &[String]) -> Option<WithColumn<FrontendRoute>> {
    let (path, kind) = route_of(file)?;
    let methods = if kind == FrontendRouteKind::Endpoint {
        ENDPOINT_METHODS
            .iter()
            .filter(|m| exports.iter().any(|e| e == *m))
            .map(|m| (*m).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    Some((
        0,
        FrontendRoute {
            file: file.to_owned(),
            line: 1,
            path,
            kind,
            methods,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        use FrontendRouteKind::*;
        let url = route_of;
        assert_eq!(
            url("src/routes/admin/users/+page.svelte"),
            Some(("/admin/users".into(), Page))
        );
        assert_eq!(
            url("web/src/routes/+layout.svelte"),
            Some(("/".into(), Layout))
        );
        assert_eq!(
            url("src/routes/(app)/blog/[slug]/+page@.svelte"),
            Some(("/blog/[slug]".into(), Page))
        );
        assert_eq!(
            url("src/routes/api/health/+server.ts"),
            Some(("/api/health".into(), Endpoint))
        );
        assert_eq!(url("src/routes/+page.ts"), None);
        assert_eq!(url("src/lib/+page.svelte"), None);
        assert_eq!(url("routes/+page.svelte"), None);
    }
}
