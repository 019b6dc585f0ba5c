//! Typed configuration, read once from the environment at start-up.

use leptos::prelude::LeptosOptions;

/// The SQLite file used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/cchc.db?mode=rwc";

/// Where uploaded photos' variants are kept when `CCHC_MEDIA_DIR` is not set.
pub const DEFAULT_MEDIA_DIR: &str = "data/media";

/// Where legal documents' files are kept when `CCHC_DOCUMENTS_DIR` is not set.
pub const DEFAULT_DOCUMENTS_DIR: &str = "data/documents";

/// Where Trunk writes the editors' app (`Trunk.toml`'s `dist`).
pub const DEFAULT_EDITOR_DIR: &str = "target/editor";

static NEXT_TEST_DIR: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default, embedded) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR` (default `127.0.0.1:3000`), `LEPTOS_SITE_ROOT` and
    /// the other `LEPTOS_*` settings cargo-leptos documents.
    pub leptos_options: LeptosOptions,
    /// `RUST_LOG`, a `tracing` filter (default `info`).
    pub log_filter: String,
    /// `CCHC_SEED_DEMO`: seed demo content into an empty database (default `true`).
    pub seed_demo: bool,
    /// `CCHC_PUBLIC_URL`: the address readers use, for feeds, sitemaps and
    /// share links (default `http://` + the listening address).
    pub public_url: String,
    /// `CCHC_COUNTER_FLUSH_MS`: how often counted hits are written (default 1000).
    pub counter_flush_interval: std::time::Duration,
    /// `CCHC_TRUSTED_PROXIES`: comma-separated addresses or CIDR networks whose
    /// `X-Forwarded-For` is believed (default: none).
    pub trusted_proxies: Vec<crate::counter::visitor::IpNet>,
    /// `CCHC_COUNTER_BASE_TOTAL`: the visit total carried over from an old
    /// portal; set on start-up when given.
    pub counter_base_total: Option<u64>,
    /// `CCHC_EDITOR_DIR`: the editors' app as Trunk built it (default
    /// `target/editor`), served at `/quan-tri/`.
    pub editor_dir: std::path::PathBuf,
    /// `CCHC_PAGE_CACHE_SECONDS`: how long a rendered public page may be
    /// served from memory before it is rendered again (default 10; `0`
    /// turns the cache off). Changes to content drop it at once whatever
    /// this says (`server/src/page_cache.rs`).
    pub page_cache_ttl: std::time::Duration,
    /// `CCHC_MEDIA_DIR`: the media library's files (default `data/media`,
    /// outside the repository's tracked files); served at `/media/`.
    pub media_dir: std::path::PathBuf,
    /// `CCHC_MEDIA_MAX_BYTES`: the largest upload accepted (default 20 MiB).
    pub media_max_bytes: usize,
    /// `CCHC_DOCUMENTS_DIR`: the legal documents' attached files (default
    /// `data/documents`); served only through `/van-ban/tep/…`, never as a folder.
    pub documents_dir: std::path::PathBuf,
    /// `CCHC_LOG_FORMAT`: `text` (default) or `json`, one object a line.
    pub log_json: bool,
    /// `CCHC_METRICS_ALLOW`: comma-separated addresses or CIDR networks that
    /// may read `/metrics` (default loopback: `127.0.0.1,::1`).
    pub metrics_allow: Vec<crate::counter::visitor::IpNet>,
    /// `CCHC_RATE_LIMITS`: rate limits per client address on search, the
    /// counter beacon, login and questions, and the counter's per-visitor
    /// allowance of page views (default `true`; `false` only for load tests
    /// from one machine, see `server/src/limits.rs`).
    pub rate_limits: bool,
    /// `CCHC_LIVE_MAX_STREAMS`: live streams open at once on this server
    /// (default 2,000); beyond it, 503 with `Retry-After`.
    pub live_max_streams: usize,
    /// `CCHC_LIVE_MAX_STREAMS_PER_CLIENT`: live streams one client address
    /// may hold open (default 20: an office of readers behind one address).
    pub live_max_streams_per_client: usize,
}

/// `CCHC_LIVE_MAX_STREAMS`'s default.
pub const DEFAULT_LIVE_MAX_STREAMS: usize = 2_000;
/// `CCHC_LIVE_MAX_STREAMS_PER_CLIENT`'s default.
pub const DEFAULT_LIVE_MAX_STREAMS_PER_CLIENT: usize = 20;

/// Who may read `/metrics` when `CCHC_METRICS_ALLOW` is not set.
pub const DEFAULT_METRICS_ALLOW: &str = "127.0.0.1,::1";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid Leptos configuration: {0}")]
    Leptos(String),
    #[error("{name} must be one of true/false/1/0/yes/no, not {value:?}")]
    Bool { name: &'static str, value: String },
    #[error("DATABASE_URL must start with sqlite: or postgres://, not {0:?}")]
    DatabaseUrl(String),
    #[error("{name} must be a whole number, not {value:?}")]
    Number { name: &'static str, value: String },
    #[error("CCHC_TRUSTED_PROXIES: {0}")]
    Proxy(String),
    #[error("CCHC_METRICS_ALLOW: {0}")]
    MetricsAllow(String),
    #[error("CCHC_LOG_FORMAT must be text or json, not {0:?}")]
    LogFormat(String),
}

impl Config {
    /// The defaults, with the given database: what tests start from.
    pub fn for_database(database_url: &str) -> Result<Self, ConfigError> {
        Ok(Self {
            database_url: database_url.to_owned(),
            leptos_options: leptos::prelude::get_configuration(None)
                .map_err(|e| ConfigError::Leptos(e.to_string()))?
                .leptos_options,
            log_filter: "warn".to_owned(),
            seed_demo: true,
            public_url: "http://127.0.0.1:3000".to_owned(),
            counter_flush_interval: std::time::Duration::from_millis(1000),
            trusted_proxies: Vec::new(),
            counter_base_total: None,
            editor_dir: DEFAULT_EDITOR_DIR.into(),
            // Tests that look at the cache turn it on themselves.
            page_cache_ttl: std::time::Duration::ZERO,
            // Each test portal its own library.
            media_dir: std::env::temp_dir().join(format!(
                "cchc-media-{}-{}",
                std::process::id(),
                NEXT_TEST_DIR.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            )),
            media_max_bytes: crate::media::DEFAULT_MAX_BYTES,
            documents_dir: std::env::temp_dir().join(format!(
                "cchc-documents-{}-{}",
                std::process::id(),
                NEXT_TEST_DIR.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            )),
            log_json: false,
            metrics_allow: ip_list(DEFAULT_METRICS_ALLOW).map_err(ConfigError::MetricsAllow)?,
            rate_limits: true,
            live_max_streams: DEFAULT_LIVE_MAX_STREAMS,
            live_max_streams_per_client: DEFAULT_LIVE_MAX_STREAMS_PER_CLIENT,
        })
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        let mut leptos_options = leptos::prelude::get_configuration(None)
            .map_err(|e| ConfigError::Leptos(e.to_string()))?
            .leptos_options;
        if non_empty_var("LEPTOS_HASH_FILES").is_none() {
            // `cargo leptos build` (hash-files = true) writes the hashes of
            // /pkg's file names next to the binary; run directly, the
            // binary finds them there.
            leptos_options.hash_files = hash_file_beside_binary(&leptos_options.hash_file);
        }
        let database_url =
            non_empty_var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::DatabaseUrl(database_url));
        }
        let public_url = non_empty_var("CCHC_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{}", leptos_options.site_addr))
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            public_url,
            database_url,
            leptos_options,
            log_filter: non_empty_var("RUST_LOG").unwrap_or_else(|| "info".to_owned()),
            seed_demo: bool_var("CCHC_SEED_DEMO", true)?,
            counter_flush_interval: std::time::Duration::from_millis(
                number_var("CCHC_COUNTER_FLUSH_MS")?.unwrap_or(1000).max(10),
            ),
            trusted_proxies: non_empty_var("CCHC_TRUSTED_PROXIES")
                .map(|list| {
                    list.split(',')
                        .filter(|part| !part.trim().is_empty())
                        .map(str::parse)
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()
                .map_err(ConfigError::Proxy)?
                .unwrap_or_default(),
            counter_base_total: number_var("CCHC_COUNTER_BASE_TOTAL")?,
            editor_dir: non_empty_var("CCHC_EDITOR_DIR")
                .unwrap_or_else(|| DEFAULT_EDITOR_DIR.to_owned())
                .into(),
            page_cache_ttl: std::time::Duration::from_secs(
                number_var("CCHC_PAGE_CACHE_SECONDS")?.unwrap_or(10),
            ),
            media_dir: non_empty_var("CCHC_MEDIA_DIR")
                .unwrap_or_else(|| DEFAULT_MEDIA_DIR.to_owned())
                .into(),
            media_max_bytes: number_var("CCHC_MEDIA_MAX_BYTES")?
                .map(|n| n as usize)
                .unwrap_or(crate::media::DEFAULT_MAX_BYTES),
            documents_dir: non_empty_var("CCHC_DOCUMENTS_DIR")
                .unwrap_or_else(|| DEFAULT_DOCUMENTS_DIR.to_owned())
                .into(),
            log_json: match non_empty_var("CCHC_LOG_FORMAT") {
                None => false,
                Some(format) => match format.trim().to_ascii_lowercase().as_str() {
                    "json" => true,
                    "text" => false,
                    _ => return Err(ConfigError::LogFormat(format)),
                },
            },
            metrics_allow: ip_list(
                &non_empty_var("CCHC_METRICS_ALLOW")
                    .unwrap_or_else(|| DEFAULT_METRICS_ALLOW.to_owned()),
            )
            .map_err(ConfigError::MetricsAllow)?,
            rate_limits: bool_var("CCHC_RATE_LIMITS", true)?,
            live_max_streams: number_var("CCHC_LIVE_MAX_STREAMS")?
                .map_or(DEFAULT_LIVE_MAX_STREAMS, |n| n as usize),
            live_max_streams_per_client: number_var("CCHC_LIVE_MAX_STREAMS_PER_CLIENT")?
                .map_or(DEFAULT_LIVE_MAX_STREAMS_PER_CLIENT, |n| n as usize),
        })
    }
}

/// A comma-separated list of addresses or CIDR networks.
fn ip_list(list: &str) -> Result<Vec<crate::counter::visitor::IpNet>, String> {
    list.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(str::parse)
        .collect()
}

/// Whether Leptos's hash file (`hash.txt`) lies beside the running binary.
fn hash_file_beside_binary(name: &str) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .is_some_and(|path| path.is_file())
}

fn non_empty_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn number_var(name: &'static str) -> Result<Option<u64>, ConfigError> {
    non_empty_var(name)
        .map(|value| {
            value
                .trim()
                .parse()
                .map_err(|_| ConfigError::Number { name, value })
        })
        .transpose()
}

fn bool_var(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match non_empty_var(name) {
        None => Ok(default),
        Some(value) => match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::Bool { name, value }),
        },
    }
}
