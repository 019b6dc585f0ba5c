//! Security headers on every response, and the Content Security Policy of
//! the pages the server renders.
//!
//! Two middlewares (see the layer order in [`crate::router`]):
//! - [`page_policy`], inside the page cache: gives each request a fresh
//!   random nonce ([`CspNonce`], in the request's extensions), which Leptos
//!   writes on the page's inline scripts ([`provide_request_nonce`] makes it
//!   Leptos's [`leptos::nonce::Nonce`]), and sets the page's
//!   `Content-Security-Policy` with that nonce. The page cache stores the
//!   header with the page, so a stored page is always served with the
//!   policy that names the nonce in its HTML.
//! - [`headers`], outside the cache and compression: the headers that are
//!   the same for every response, each only when the handler has not set
//!   it already; responses without a policy of their own (files, the API,
//!   feeds) get `frame-ancestors 'none'`.

use std::sync::Arc;

use app::ssr::SiteSettings;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of a response that sets none of its own: never framed.
pub const DEFAULT_POLICY: &str = "frame-ancestors 'none'";

/// `Permissions-Policy`: no page of the portal uses these features, and no
/// embedded content may.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// `Strict-Transport-Security` when the public address is https.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The CSP nonce of one request: 128 random bits, hexadecimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    /// A fresh nonce (an all-zero one only if the system has no randomness,
    /// which [`getrandom`] reports and is logged).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 16];
        if let Err(err) = getrandom::fill(&mut bytes) {
            tracing::error!(%err, "no randomness for a CSP nonce");
        }
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(hex.into())
    }
}

/// A monitoring origin (or none) and the page-cache generation it was read in.
type StoredOrigin = (u64, Option<String>);

/// What the security middlewares need to know.
#[derive(Clone)]
pub struct Security {
    settings: Arc<dyn SiteSettings>,
    /// Whether the public address is https (then HSTS is sent).
    https: bool,
    /// Its generation tells when the settings may have changed (every
    /// public change bumps it, on every server), as for the list counts
    /// (`crate::articles::read::CountCache`).
    cache: Arc<crate::page_cache::PageCache>,
    /// The monitoring origin last read, and the generation it was read in.
    origin: Arc<std::sync::Mutex<Option<StoredOrigin>>>,
}

impl Security {
    pub fn new(
        settings: Arc<dyn SiteSettings>,
        public_url: &str,
        cache: Arc<crate::page_cache::PageCache>,
    ) -> Self {
        Self {
            settings,
            https: public_url.starts_with("https://"),
            cache,
            origin: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// The origin of the monitoring script the admins set in the site
    /// identity, if any (`https://host[:port]`); read again only after a
    /// public change.
    async fn monitoring_origin(&self) -> Option<String> {
        // Read before the settings: a change meanwhile makes the entry stale.
        let generation = self.cache.trusted().then(|| self.cache.generation());
        if let Some(generation) = generation
            && let Some((at, origin)) = self.origin.lock().ok().and_then(|o| o.clone())
            && at == generation
        {
            return origin;
        }
        let identity = match self.settings.site_identity().await {
            Ok(identity) => identity,
            Err(err) => {
                tracing::warn!(%err, "cannot read the site identity for the CSP");
                return None;
            }
        };
        let origin = origin_of(&identity.monitoring_script);
        if let Some(generation) = generation
            && let Ok(mut stored) = self.origin.lock()
        {
            *stored = Some((generation, origin.clone()));
        }
        origin
    }
}

/// `https://host[:port]` of an https address; `None` for anything else
/// (the settings only accept https addresses for the monitoring script).
pub fn origin_of(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let valid = !authority.is_empty()
        && !authority.contains('@')
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    valid.then(|| format!("https://{}", authority.to_ascii_lowercase()))
}

/// The policy of a page the server renders. Scripts: the portal's own
/// files (`/pkg`, the islands' WebAssembly: `'wasm-unsafe-eval'`), inline
/// scripts that carry `nonce`, and the monitoring script's origin when one
/// is set (it may also send its beacons and images there). JSON-LD is data
/// and needs nothing.
pub fn page_policy_value(nonce: &CspNonce, monitoring: Option<&str>) -> String {
    let (script_extra, connect_extra) = match monitoring {
        Some(origin) => (format!(" {origin}"), format!(" {origin}")),
        None => (String::new(), String::new()),
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'{script_extra}; \
         style-src 'self'; img-src 'self' data:{connect_extra}; connect-src 'self'{connect_extra}; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'",
        nonce = nonce.0
    )
}

/// Makes this request's [`CspNonce`] the nonce Leptos writes on its inline
/// scripts (`HydrationScripts`, the resources' streamed scripts, the shell's
/// own `<script>`). The context function of every Leptos render: it runs
/// after Leptos has provided the request's parts (and its own nonce, which
/// this replaces).
pub fn provide_request_nonce() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// The inner middleware: a nonce for the request, and the page policy on an
/// HTML response that has no policy yet.
pub async fn page_policy(
    State(security): State<Security>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    if crate::html::is_html(&response)
        && !response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        let monitoring = security.monitoring_origin().await;
        match HeaderValue::from_str(&page_policy_value(&nonce, monitoring.as_deref())) {
            Ok(value) => {
                response
                    .headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, value);
            }
            Err(err) => tracing::error!(%err, "invalid page policy"),
        }
    }
    response
}

/// The outer middleware: the headers every response carries, unless its
/// handler set them.
pub async fn headers(State(security): State<Security>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set_default = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set_default(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set_default(
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    set_default(header::X_FRAME_OPTIONS, "DENY");
    set_default(header::CONTENT_SECURITY_POLICY, DEFAULT_POLICY);
    if security.https {
        set_default(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_fresh_and_hexadecimal() {
        let a = CspNonce::generate();
        let b = CspNonce::generate();
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 32);
        assert!(a.0.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn origins_of_https_addresses_only() {
        assert_eq!(
            origin_of("https://GiamSat.example.vn/ma.js?x=1").as_deref(),
            Some("https://giamsat.example.vn")
        );
        assert_eq!(
            origin_of("https://a.example:8443").as_deref(),
            Some("https://a.example:8443")
        );
        assert_eq!(origin_of("http://a.example/x.js"), None);
        assert_eq!(origin_of(""), None);
        assert_eq!(origin_of("https://a.example;script-src *"), None);
        assert_eq!(origin_of("https://user@a.example/"), None);
    }

    #[test]
    fn page_policy_names_the_nonce_and_the_monitoring_origin() {
        let nonce = CspNonce("abc123".into());
        let plain = page_policy_value(&nonce, None);
        assert!(plain.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!plain.contains("unsafe-inline"));
        assert!(plain.ends_with("frame-ancestors 'none'"));
        let monitored = page_policy_value(&nonce, Some("https://m.example"));
        assert!(monitored.contains("'wasm-unsafe-eval' https://m.example;"));
        assert!(monitored.contains("connect-src 'self' https://m.example;"));
    }
}
