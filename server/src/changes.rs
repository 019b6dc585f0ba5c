//! Changes to what readers see, told to every app server.
//!
//! A write that changes public content (an article published, unpublished,
//! or edited while published) calls [`notify_in`] inside its transaction
//! and, once committed, [`PublicChanges::changed`] on the server that made
//! it. On PostgreSQL the `NOTIFY` reaches every server listening on
//! [`CHANNEL`] when the transaction commits (never if it rolls back); each
//! then drops its cached pages and sends the newest articles to readers'
//! live streams ("Có 2 tin mới"). While a server's listening connection is
//! down it serves nothing from its page cache, so it can never serve a page
//! older than a change it did not hear of.
//!
//! Changes to the publication schedule travel the same way on
//! [`SCHEDULE_CHANNEL`] ([`notify_schedule_in`]), so that every server's
//! scheduler wakes for the new due moment, whichever server took the order.
//!
//! SQLite is one server's database: the local call is enough.

use std::sync::Arc;
use std::time::Duration;

use app::model::FreshArticle;
use app::ssr::{ArticleReader, StoreError};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};
use tokio::sync::watch;

use crate::page_cache::PageCache;

/// The PostgreSQL notification channel for public content changes.
pub const CHANNEL: &str = "cchc_public_content";
/// The PostgreSQL notification channel for changes to the publication schedule.
pub const SCHEDULE_CHANNEL: &str = "cchc_schedule";
/// How many of the newest articles the live stream carries.
pub const FRESH_COUNT: u64 = 10;

/// Inside a writing transaction: on PostgreSQL, queues a notification that
/// every server receives when (and only if) the transaction commits.
///
/// # Errors
/// The database's, when the statement fails (the transaction then fails).
pub async fn notify_in<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("NOTIFY {CHANNEL}")).await?;
    }
    Ok(())
}

/// Ends an editor's write: records `event` in the audit log and, when
/// `public` (what readers see changed), queues the notification, both in
/// `txn`; commits; then drops this server's page cache and refreshes its
/// live streams through `changes` (the other servers hear the notification).
///
/// # Errors
/// [`StoreError::Storage`] when the database refuses; nothing is kept then.
pub async fn commit_with_audit(
    txn: sea_orm::DatabaseTransaction,
    event: crate::audit::Event<'_>,
    public: bool,
    changes: Option<&PublicChanges>,
) -> Result<(), StoreError> {
    crate::audit::record(&txn, event, time::OffsetDateTime::now_utc()).await?;
    if public {
        notify_in(&txn).await.map_err(StoreError::storage)?;
    }
    txn.commit().await.map_err(StoreError::storage)?;
    if public && let Some(changes) = changes {
        changes.changed().await;
    }
    Ok(())
}

/// [`notify_in`] for a change to the publication schedule.
///
/// # Errors
/// The database's, when the statement fails.
pub async fn notify_schedule_in<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("NOTIFY {SCHEDULE_CHANNEL}"))
            .await?;
    }
    Ok(())
}

/// This server's side of public changes: its page cache and the newest
/// articles its live streams offer.
pub struct PublicChanges {
    cache: Arc<PageCache>,
    articles: Arc<dyn ArticleReader>,
    /// The newest published articles, as JSON (a `FreshArticle` array).
    fresh: watch::Sender<Arc<str>>,
    /// Raised when the publication schedule changed (here or elsewhere).
    schedule: tokio::sync::Notify,
}

impl PublicChanges {
    pub fn new(cache: Arc<PageCache>, articles: Arc<dyn ArticleReader>) -> Arc<Self> {
        Arc::new(Self {
            cache,
            articles,
            fresh: watch::Sender::new(Arc::from("[]")),
            schedule: tokio::sync::Notify::new(),
        })
    }

    pub fn cache(&self) -> &Arc<PageCache> {
        &self.cache
    }

    /// Public content has changed: drop the cached pages and tell readers'
    /// streams about the newest articles.
    pub async fn changed(&self) {
        self.cache.invalidate();
        self.refresh_fresh().await;
    }

    /// Loads the newest published articles for the live streams; streams
    /// are told only when the list differs.
    pub async fn refresh_fresh(&self) {
        match self.articles.latest_articles(1, FRESH_COUNT).await {
            Ok(page) => {
                let items: Vec<FreshArticle> = page.items.iter().map(FreshArticle::from).collect();
                let json: Arc<str> = serde_json::to_string(&items)
                    .unwrap_or_else(|_| "[]".to_owned())
                    .into();
                self.fresh.send_if_modified(|current| {
                    if *current == json {
                        false
                    } else {
                        *current = json;
                        true
                    }
                });
            }
            Err(err) => tracing::warn!(%err, "cannot load the newest articles for live streams"),
        }
    }

    /// The publication schedule changed: the scheduler looks again.
    pub fn schedule_changed(&self) {
        self.schedule.notify_one();
    }

    /// Resolves at the next [`PublicChanges::schedule_changed`] (or at once
    /// if one came since the last wait).
    pub async fn schedule_notified(&self) {
        self.schedule.notified().await;
    }

    /// The newest articles (JSON), now and whenever they change.
    pub fn subscribe(&self) -> watch::Receiver<Arc<str>> {
        self.fresh.subscribe()
    }

    /// On PostgreSQL, listens for other servers' changes until the process
    /// ends; reconnects after a lost connection, and serves nothing from
    /// the page cache until it is listening again. `None` on SQLite.
    pub fn spawn_listener(
        self: &Arc<Self>,
        db: &DatabaseConnection,
    ) -> Option<tokio::task::JoinHandle<()>> {
        if db.get_database_backend() != DbBackend::Postgres {
            return None;
        }
        let pool = db.get_postgres_connection_pool().clone();
        self.cache.set_usable(false);
        let changes = Arc::clone(self);
        Some(tokio::spawn(async move {
            loop {
                changes.listen(&pool).await;
                changes.cache.set_usable(false);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }))
    }

    /// Listens on one connection until it fails.
    async fn listen(&self, pool: &sea_orm::sqlx::PgPool) {
        use sea_orm::sqlx::postgres::PgListener;
        let mut listener = match PgListener::connect_with(pool).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(%err, "cannot listen for content changes; page cache off");
                return;
            }
        };
        if let Err(err) = listener.listen_all([CHANNEL, SCHEDULE_CHANNEL]).await {
            tracing::warn!(%err, "cannot listen for content changes; page cache off");
            return;
        }
        // Anything may have changed while nobody was listening.
        self.cache.set_usable(true);
        self.refresh_fresh().await;
        self.schedule_changed();
        loop {
            match listener.try_recv().await {
                Ok(Some(note)) if note.channel() == SCHEDULE_CHANNEL => self.schedule_changed(),
                Ok(Some(_)) => self.changed().await,
                Ok(None) => {
                    tracing::warn!("lost the content-change connection; page cache off");
                    return;
                }
                Err(err) => {
                    tracing::warn!(%err, "content-change connection failed; page cache off");
                    return;
                }
            }
        }
    }
}
