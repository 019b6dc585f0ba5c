//! The visitor counter ("Lượt truy cập").
//!
//! Hits are aggregated in memory and flushed on an interval, in one
//! transaction of atomic `count = count + n` upserts; a failed flush keeps its
//! counts for the next try, and the last flush runs on shutdown. Visits are
//! deduplicated by the database (a visitor key per day), so several app
//! servers sharing one PostgreSQL database count exactly.
//!
//! A visitor's page views are counted up to what a person could read: a
//! burst of [`VIEW_BURST`] pages, then one page every [`VIEW_REFILL`]. A
//! script that sends 10,000 beacons (or page requests) with one address and
//! browser adds no more than a reader clicking through as fast as they can;
//! every request is still answered as usual. The allowance is kept per app
//! server, so with several servers a visitor can reach it on each.

pub mod calendar;
pub mod clock;
pub mod http;
pub mod store;
pub mod visitor;

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use app::model::VisitorStats;
use axum::http::HeaderMap;
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use time::Date;
use tokio::sync::watch;

use self::calendar::vn_day;
use self::clock::Clock;
use self::store::Batch;
use self::visitor::{VisitorPolicy, user_agent, visitor_key};

/// Page views a visitor may add at once (opening a set of tabs, quick clicks).
pub const VIEW_BURST: u32 = 20;
/// After the burst, one more page view per this interval (20 pages a minute).
pub const VIEW_REFILL: Duration = Duration::from_secs(3);
/// How often the allowances of visitors gone quiet are forgotten.
const ALLOWANCE_PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The counter's clock as `governor` reads it: nanoseconds since the epoch.
#[derive(Clone)]
struct AllowanceClock(Arc<dyn Clock>);

impl governor::clock::Clock for AllowanceClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        let nanos = self.0.now().unix_timestamp_nanos().max(0);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

type Allowance = governor::RateLimiter<
    i64,
    governor::state::keyed::DefaultKeyedStateStore<i64>,
    AllowanceClock,
    governor::middleware::NoOpMiddleware<Duration>,
>;

fn allowance(clock: Arc<dyn Clock>) -> Allowance {
    let quota = governor::Quota::with_period(VIEW_REFILL)
        .expect("a non-zero refill interval")
        .allow_burst(std::num::NonZeroU32::new(VIEW_BURST).expect("a non-zero burst"));
    governor::RateLimiter::new(quota, Default::default(), AllowanceClock(clock))
}

/// One page a person opened.
pub struct PageHit<'a> {
    /// The TCP peer; `None` when unknown (in-process tests).
    pub peer: Option<IpAddr>,
    pub headers: &'a HeaderMap,
    /// The page's path, e.g. `/tin-tuc/some-slug`.
    pub path: &'a str,
}

pub struct Counter {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    policy: VisitorPolicy,
    flush_interval: Duration,
    pending: Mutex<Batch>,
    /// Visitors already written for their day by this server: no need to
    /// offer them to the database again.
    known: Mutex<HashSet<(Date, i64)>>,
    salt: tokio::sync::Mutex<Option<(Date, [u8; 16])>>,
    flush_lock: tokio::sync::Mutex<Option<Date>>,
    stats: watch::Sender<VisitorStats>,
    stats_loaded: Mutex<Option<Instant>>,
    /// When a flush last succeeded (or the counter started): `/metrics`'s flush lag.
    flushed_at: Mutex<Instant>,
    /// Each visitor's page views still allowed ([`VIEW_BURST`], [`VIEW_REFILL`]);
    /// `None` when turned off ([`Counter::without_view_allowance`]).
    allowance: Option<Allowance>,
    pruned_at: Mutex<Instant>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The slug of an article page path.
fn article_slug(path: &str) -> Option<&str> {
    let slug = path.strip_prefix("/tin-tuc/")?;
    (!slug.is_empty()
        && slug.len() <= 300
        && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then_some(slug)
}

impl Counter {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        policy: VisitorPolicy,
        flush_interval: Duration,
    ) -> Self {
        Self {
            db,
            allowance: Some(allowance(clock.clone())),
            pruned_at: Mutex::new(Instant::now()),
            clock,
            policy,
            flush_interval,
            pending: Mutex::default(),
            known: Mutex::default(),
            salt: tokio::sync::Mutex::new(None),
            flush_lock: tokio::sync::Mutex::new(None),
            stats: watch::Sender::new(VisitorStats::default()),
            stats_loaded: Mutex::new(None),
            flushed_at: Mutex::new(Instant::now()),
        }
    }

    /// Counts every view, however fast one visitor sends them: only for
    /// load tests from one machine (`CCHC_RATE_LIMITS=false`).
    pub fn without_view_allowance(mut self) -> Self {
        self.allowance = None;
        self
    }

    pub fn policy(&self) -> &VisitorPolicy {
        &self.policy
    }

    /// Counts a page view (and a visit, if the visitor is new today).
    /// Returns `false` for requests that do not count: bots, prefetches, and
    /// views beyond the visitor's allowance ([`VIEW_BURST`], [`VIEW_REFILL`]).
    pub async fn record(&self, hit: PageHit<'_>) -> Result<bool, DbErr> {
        if !self.policy.is_countable(hit.headers) {
            return Ok(false);
        }
        let now = self.clock.now();
        let day = vn_day(now);
        let salt = self.salt_for(day).await?;
        let ip = self.policy.client_ip(hit.peer, hit.headers);
        let visitor = visitor_key(&salt, ip, user_agent(hit.headers));
        if let Some(allowance) = &self.allowance
            && allowance.check_key(&visitor).is_err()
        {
            return Ok(false);
        }
        let known = lock(&self.known).contains(&(day, visitor));
        let mut pending = lock(&self.pending);
        *pending.page_views.entry(day).or_default() += 1;
        if !known {
            pending.visitors.insert((day, visitor));
        }
        if let Some(slug) = article_slug(hit.path) {
            *pending
                .article_views
                .entry((slug.to_owned(), day))
                .or_default() += 1;
        }
        let seen = pending.presence.entry(visitor).or_default();
        *seen = (*seen).max(now.unix_timestamp());
        Ok(true)
    }

    async fn salt_for(&self, day: Date) -> Result<[u8; 16], DbErr> {
        let mut cached = self.salt.lock().await;
        if let Some((cached_day, salt)) = *cached
            && cached_day == day
        {
            return Ok(salt);
        }
        let salt = store::salt_for_day(&self.db, day).await?;
        *cached = Some((day, salt));
        Ok(salt)
    }

    /// Page views recorded but not yet written.
    pub fn pending_page_views(&self) -> i64 {
        lock(&self.pending).page_view_count()
    }

    /// How long ago a flush last succeeded (or the counter started).
    pub fn since_last_flush(&self) -> Duration {
        lock(&self.flushed_at).elapsed()
    }

    /// Writes what has been recorded, in one transaction. On failure the
    /// counts stay in memory for the next flush.
    pub async fn flush(&self) -> Result<(), DbErr> {
        let mut cleaned_for = self.flush_lock.lock().await;
        let now = self.clock.now();
        let today = vn_day(now);
        if *cleaned_for != Some(today) {
            store::delete_expired(&self.db, today, now.unix_timestamp()).await?;
            lock(&self.known).retain(|(day, _)| *day >= today - time::Duration::days(1));
            *cleaned_for = Some(today);
        }
        let batch = std::mem::take(&mut *lock(&self.pending));
        if batch.is_empty() {
            *lock(&self.flushed_at) = Instant::now();
            return Ok(());
        }
        let written = async {
            let txn = self.db.begin().await?;
            store::write_batch(&txn, &batch).await?;
            txn.commit().await
        }
        .await;
        match written {
            Ok(()) => {
                lock(&self.known).extend(batch.visitors.iter().copied());
                *lock(&self.flushed_at) = Instant::now();
                self.prune_allowances();
                Ok(())
            }
            Err(err) => {
                lock(&self.pending).merge(batch);
                Err(err)
            }
        }
    }

    /// Forgets the allowances that are full again (visitors gone quiet), at
    /// most once per [`ALLOWANCE_PRUNE_EVERY`].
    fn prune_allowances(&self) {
        let mut pruned_at = lock(&self.pruned_at);
        if let Some(allowance) = &self.allowance
            && pruned_at.elapsed() >= ALLOWANCE_PRUNE_EVERY
        {
            allowance.retain_recent();
            allowance.shrink_to_fit();
            *pruned_at = Instant::now();
        }
    }

    /// The widget's numbers, at most one flush interval old.
    pub async fn stats(&self) -> Result<VisitorStats, DbErr> {
        let fresh = lock(&self.stats_loaded).is_some_and(|at| at.elapsed() < self.flush_interval);
        if fresh {
            return Ok(*self.stats.borrow());
        }
        self.refresh_stats().await
    }

    /// Reloads the numbers and tells live subscribers if they changed.
    pub async fn refresh_stats(&self) -> Result<VisitorStats, DbErr> {
        let now = self.clock.now();
        let stats = store::load_stats(&self.db, vn_day(now), now.unix_timestamp()).await?;
        *lock(&self.stats_loaded) = Some(Instant::now());
        self.stats.send_if_modified(|current| {
            let changed = *current != stats;
            *current = stats;
            changed
        });
        Ok(stats)
    }

    /// Live numbers: the current value, then every change.
    pub fn subscribe(&self) -> watch::Receiver<VisitorStats> {
        self.stats.subscribe()
    }

    /// Flushes every interval until `stop` fires; then the caller runs the
    /// last flush with [`Counter::shutdown`].
    pub fn spawn_flusher(self: &Arc<Self>) -> Flusher {
        let counter = Arc::clone(self);
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(counter.flush_interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stopped.changed() => break,
                }
                if let Err(err) = counter.flush().await {
                    tracing::warn!(%err, "counter flush failed; the counts are kept for the next try");
                }
                // Other servers' hits reach this one's live readers through the database.
                if counter.stats.receiver_count() > 0
                    && let Err(err) = counter.refresh_stats().await
                {
                    tracing::warn!(%err, "cannot reload the visitor statistics");
                }
            }
        });
        Flusher { stop, task }
    }

    /// The last flush, retried a few times: no hit recorded before shutdown is lost
    /// unless the database stays unreachable.
    pub async fn shutdown(&self) -> Result<(), DbErr> {
        let mut delay = Duration::from_millis(100);
        let mut attempt = 1;
        loop {
            match self.flush().await {
                Ok(()) => return Ok(()),
                Err(err) if attempt < 5 => {
                    tracing::warn!(%err, attempt, "final counter flush failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    attempt += 1;
                }
                Err(err) => return Err(err),
            }
        }
    }
}

#[async_trait::async_trait]
impl app::ssr::StatsSource for Counter {
    async fn visitor_stats(&self) -> Result<VisitorStats, app::ssr::StoreError> {
        self.stats().await.map_err(app::ssr::StoreError::storage)
    }
}

/// The background flush task.
pub struct Flusher {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Flusher {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::article_slug;

    #[test]
    fn only_article_paths_have_slugs() {
        assert_eq!(article_slug("/tin-tuc/can-tho-2017"), Some("can-tho-2017"));
        assert_eq!(article_slug("/tin-tuc/"), None);
        assert_eq!(article_slug("/tin-tuc/a/b"), None);
        assert_eq!(article_slug("/"), None);
    }
}
