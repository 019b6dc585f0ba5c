//! The portal's server: configuration, persistence and the Axum router.
//! `main` reads the configuration and calls [`run`]; tests call [`build`].

pub mod accounts;
pub mod api_v1;
pub mod articles;
pub mod assets;
pub mod audit;
pub mod backup;
pub mod changes;
pub mod cli;
pub mod config;
pub mod counter;
pub mod db;
pub mod documents;
pub mod editor_app;
pub mod feeds;
pub mod html;
pub mod limits;
pub mod media;
pub mod ops;
pub mod page_cache;
pub mod pages;
pub mod questions;
pub mod scheduler;
pub mod search;
pub mod security;
pub mod settings;
pub mod slug;
pub mod text;

use std::sync::Arc;

use app::ssr::AppState;
use app::{App, shell};
use axum::Router;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use counter::clock::{Clock, SystemClock};
use counter::visitor::VisitorPolicy;
use counter::{Counter, Flusher};

pub use config::Config;

/// The name of the editors' session cookie.
pub const SESSION_COOKIE: &str = "cchc_phien";

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("media or documents directory {dir}: {source}")]
    MediaDir {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("scheduled publication: {0}")]
    Schedule(#[from] app::ssr::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Serve(std::io::Error),
}

/// A built portal: its router, and the services that need a clean shutdown.
pub struct Portal {
    pub router: Router,
    pub state: AppState,
    pub counter: Arc<Counter>,
    pub changes: Arc<changes::PublicChanges>,
    pub scheduler: Arc<scheduler::Scheduler>,
    flusher: Flusher,
    listener: Option<tokio::task::JoinHandle<()>>,
    scheduling: tokio::task::JoinHandle<()>,
    limits_cleanup: tokio::task::JoinHandle<()>,
}

impl Portal {
    /// Stops the background flush and writes the last counted hits.
    pub async fn shutdown(self) -> Result<(), sea_orm::DbErr> {
        if let Some(listener) = &self.listener {
            listener.abort();
        }
        self.scheduling.abort();
        self.limits_cleanup.abort();
        self.flusher.stop().await;
        self.counter.shutdown().await
    }
}

/// Connects to the database, migrates and seeds it, and builds the router.
pub async fn build(config: &Config) -> Result<Portal, StartupError> {
    build_with_clock(config, Arc::new(SystemClock)).await
}

/// [`build`], with the counter's clock chosen by the caller (tests set it).
pub async fn build_with_clock(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> Result<Portal, StartupError> {
    let db = db::connect(&config.database_url).await?;
    db::prepare(&db, config.seed_demo).await?;
    if let Some(total) = config.counter_base_total {
        counter::store::set_base_total(&db, total).await?;
    }
    let counter = Counter::new(
        db.clone(),
        clock.clone(),
        VisitorPolicy::new(config.trusted_proxies.clone()),
        config.counter_flush_interval,
    );
    // Off with the rate limits: one load generator then plays many readers.
    let counter = Arc::new(if config.rate_limits {
        counter
    } else {
        counter.without_view_allowance()
    });
    let flusher = counter.spawn_flusher();
    let cache = Arc::new(page_cache::PageCache::new(
        config.page_cache_ttl,
        page_cache::DEFAULT_CAPACITY_BYTES,
    ));
    let articles: Arc<dyn app::ssr::ArticleReader> = Arc::new(
        articles::ArticleStore::new(db.clone(), config.public_url.clone())
            .with_count_cache(articles::read::CountCache::new(cache.clone())),
    );
    let changes = changes::PublicChanges::new(cache, articles.clone());
    let settings: Arc<dyn app::ssr::SiteSettings> =
        Arc::new(settings::SettingsStore::new(db.clone()).with_changes(changes.clone()));
    changes.refresh_fresh().await;
    let listener = changes.spawn_listener(&db);
    let scheduler = Arc::new(scheduler::Scheduler::new(
        db.clone(),
        clock,
        changes.clone(),
    ));
    // What fell due while the portal was down goes public before the
    // first request.
    scheduler.run_due().await?;
    let scheduling = scheduler.clone().spawn();
    let media = media::MediaStore::new(db.clone(), config.media_dir.clone()).map_err(|source| {
        StartupError::MediaDir {
            dir: config.media_dir.clone(),
            source,
        }
    })?;
    let documents =
        documents::DocumentStore::new(db.clone(), config.documents_dir.clone(), changes.clone())
            .await
            .map_err(|source| StartupError::MediaDir {
                dir: config.documents_dir.clone(),
                source,
            })?;
    let questions = questions::QuestionStore::new(db.clone(), changes.clone()).await?;
    let state = AppState::new(app::ssr::AppParts {
        public_url: config.public_url.clone(),
        leptos_options: config.leptos_options.clone(),
        articles: articles.clone(),
        search: Arc::new(search::SearchStore::new(db.clone())),
        settings: settings.clone(),
        stats: counter.clone(),
        accounts: Arc::new(accounts::users::AccountStore::new(
            db.clone(),
            config.public_url.clone(),
        )),
        media: Arc::new(media.clone()),
        documents: Arc::new(documents.clone()),
        questions: Arc::new(questions.clone()),
        pages: Arc::new(pages::PageStore::new(db.clone(), changes.clone())),
        editorial: Arc::new(articles::EditorialStore::new(
            db.clone(),
            config.public_url.clone(),
            changes.clone(),
            scheduler.clone(),
        )),
    });
    let feeds = feeds::FeedState {
        articles,
        settings,
        public_url: config.public_url.clone(),
    };
    let accounts = accounts::http::AccountsState {
        db: db.clone(),
        policy: Arc::new(VisitorPolicy::new(config.trusted_proxies.clone())),
    };
    let sessions = session_layer(&db, config);
    let api = api_v1::ApiState::new(db.clone(), &state);
    let ops = ops::Ops::new(
        db.clone(),
        counter.clone(),
        config.trusted_proxies.clone(),
        config.metrics_allow.clone(),
    );
    let security = security::Security::new(
        state.settings.clone(),
        &config.public_url,
        changes.cache().clone(),
    );
    let guards = Guards {
        policy: Arc::new(VisitorPolicy::new(config.trusted_proxies.clone())),
        rates: limits::RateLimits::new(config.rate_limits),
        streams: limits::LiveStreams::new(
            config.live_max_streams,
            config.live_max_streams_per_client,
        ),
    };
    let limits_cleanup = guards.rates.spawn_cleanup();
    let router = router(
        state.clone(),
        counter.clone(),
        changes.clone(),
        feeds,
        accounts,
        sessions,
        config.editor_dir.clone(),
        (media, config.media_max_bytes),
        documents,
        api,
        questions,
        ops,
        security,
        guards,
    );
    Ok(Portal {
        router,
        state,
        counter,
        changes,
        scheduler,
        flusher,
        listener,
        scheduling,
        limits_cleanup,
    })
}

/// The limits every request passes ([`limits`]): who the client is, its
/// rates, and the cap on live streams.
#[derive(Clone)]
pub struct Guards {
    pub policy: Arc<VisitorPolicy>,
    pub rates: Arc<limits::RateLimits>,
    pub streams: Arc<limits::LiveStreams>,
}

/// `router` with a limit on request bodies (`413` beyond it) and on the time
/// until the response starts (`503` beyond it).
fn bounded<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    body_bytes: Option<usize>,
    timeout: std::time::Duration,
) -> Router<S> {
    let router = router.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        timeout,
    ));
    match body_bytes {
        Some(bytes) => router.layer(tower_http::limit::RequestBodyLimitLayer::new(bytes)),
        None => router,
    }
}

/// Editors' sessions: stored in the database, cookie `cchc_phien`
/// (HttpOnly, SameSite=Lax, `Secure` when the public address is https),
/// ended after 8 hours without a request.
pub type Sessions = tower_sessions::SessionManagerLayer<accounts::sessions::SeaSessionStore>;

fn session_layer(db: &sea_orm::DatabaseConnection, config: &Config) -> Sessions {
    tower_sessions::SessionManagerLayer::new(accounts::sessions::SeaSessionStore::new(db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_secure(config.public_url.starts_with("https://"))
        .with_expiry(tower_sessions::Expiry::OnInactivity(time::Duration::hours(
            8,
        )))
}

/// The HTTP routes: Leptos pages and server functions, the counter's
/// endpoints, the login form, static files, and the not-found page for
/// everything else.
///
/// Each group of routes has its own body limit and timeout ([`limits`]:
/// small forms, the beacon, server functions; uploads keep their own size
/// limit and a long timeout).
///
/// The layers, from the outside in: the request id, tracing, the client's
/// address, request metrics, the security headers every response carries,
/// rate limits, compression
/// (skipped for what is already compressed: the page cache's and `/pkg`'s
/// precompressed files), counting page views, the page cache, the CSP nonce
/// and page policy, finishing HTML, CSRF, sessions, authentication. The
/// counter is outside the cache, so a page served from memory counts like a
/// rendered one. The page policy is inside the cache, so a stored page keeps
/// the policy that names the nonce in its HTML (see [`security`]).
#[allow(clippy::too_many_arguments)]
pub fn router(
    state: AppState,
    counter: Arc<Counter>,
    changes: Arc<changes::PublicChanges>,
    feeds: feeds::FeedState,
    accounts: accounts::http::AccountsState,
    sessions: Sessions,
    editor_dir: std::path::PathBuf,
    (media, media_max_bytes): (media::MediaStore, usize),
    documents: documents::DocumentStore,
    api: api_v1::ApiState,
    questions: questions::QuestionStore,
    ops: ops::Ops,
    security: security::Security,
    guards: Guards,
) -> Router {
    use limits::{
        BEACON_BODY_BYTES, DEFAULT_BODY_BYTES, FORM_BODY_BYTES, QUESTION_BODY_BYTES,
        REQUEST_TIMEOUT, UPLOAD_TIMEOUT,
    };
    let routes = generate_route_list(App);
    let question_policy = accounts.policy.clone();
    let options = state.leptos_options.clone();
    let cache = changes.cache().clone();
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, security::provide_request_nonce, move || {
            shell(options.clone())
        })
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            limits::RENDERS_AT_ONCE,
        ));
    let small = |router: Router<AppState>| bounded(router, Some(FORM_BODY_BYTES), REQUEST_TIMEOUT);
    bounded(pages, Some(DEFAULT_BODY_BYTES), REQUEST_TIMEOUT)
        .merge(bounded(
            counter::http::routes(counter.clone(), changes, guards.streams.clone()),
            Some(BEACON_BODY_BYTES),
            REQUEST_TIMEOUT,
        ))
        .merge(bounded(
            documents::routes(documents, media_max_bytes, feeds.clone()),
            None,
            UPLOAD_TIMEOUT,
        ))
        .merge(bounded(
            questions::http::routes(questions::http::QuestionsHttp {
                store: questions,
                state: state.clone(),
                policy: question_policy,
            }),
            Some(QUESTION_BODY_BYTES),
            REQUEST_TIMEOUT,
        ))
        .merge(small(feeds::routes(feeds)))
        .merge(small(accounts::http::routes(accounts.clone())))
        .merge(small(editor_app::routes(editor_dir)))
        .merge(bounded(
            media::routes(media, media_max_bytes),
            None,
            UPLOAD_TIMEOUT,
        ))
        .merge(small(api_v1::routes(api)))
        .merge(small(ops::routes(ops)))
        .nest_service("/pkg", assets::pkg_service(&state.leptos_options))
        .route(
            html::SPECULATION_RULES_PATH,
            axum::routing::get(html::speculation_rules),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(security::provide_request_nonce, shell))
        .layer(axum::middleware::from_fn(limits::explain_too_large))
        .layer(axum::middleware::from_fn_with_state(
            accounts,
            accounts::http::authenticate,
        ))
        .layer(sessions)
        .layer(axum::middleware::from_fn(
            accounts::http::same_origin_writes,
        ))
        .layer(axum::middleware::from_fn(html::finish_html))
        .layer(axum::middleware::from_fn_with_state(
            security.clone(),
            security::page_policy,
        ))
        .layer(axum::middleware::from_fn_with_state(
            cache,
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            counter,
            counter::http::count_server_rendered_pages,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            guards.rates,
            limits::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            security,
            security::headers,
        ))
        // Per route (a `Router::layer`), so the route template is known.
        .layer(axum::middleware::from_fn(ops::track))
        .layer(axum::middleware::from_fn_with_state(
            guards.policy,
            limits::client_address,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(ops::request_span))
        .layer(axum::middleware::from_fn(ops::request_id))
        .with_state(state)
}

/// Installs the `tracing` subscriber that writes logs to standard error:
/// text, or one JSON object a line (`CCHC_LOG_FORMAT=json`).
pub fn init_tracing(filter: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Serves the portal until SIGTERM or Ctrl-C, then finishes the requests in flight.
pub async fn run(config: Config) -> Result<(), StartupError> {
    let portal = build(&config).await?;
    let addr = config.leptos_options.site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartupError::Bind { addr, source })?;
    tracing::info!("listening on http://{addr}");
    let service = portal
        .router
        .clone()
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartupError::Serve);
    // Every request has finished (or serving failed): write the hits counted.
    let flushed = portal.shutdown().await;
    served?;
    flushed?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
