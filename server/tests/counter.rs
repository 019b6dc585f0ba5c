//! The visitor counter: Vietnam-time boundaries, what counts, exactness under
//! concurrency, failed flushes, shutdown under load and several servers on
//! one PostgreSQL database.

mod common;

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue};
use common::TestDb;
use common::hits::{BROWSER, Client};
use common::process::ServerProcess;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use server::counter::clock::{Clock, ManualClock};
use server::counter::store::totals;
use server::counter::{Counter, PageHit};
use time::OffsetDateTime;
use time::macros::datetime;

fn browser(user_agent: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("user-agent", HeaderValue::from_str(user_agent).unwrap());
    headers
}

/// A portal on a fresh database with no demo history, and a clock the test sets.
struct Setup {
    db: TestDb,
    conn: DatabaseConnection,
    portal: server::Portal,
    clock: Arc<ManualClock>,
}

impl Setup {
    async fn new(db: TestDb, at: OffsetDateTime) -> Self {
        let mut config = server::Config::for_database(&db.url).unwrap();
        config.seed_demo = false;
        // Only the tests flush: a background flush between a test's steps
        // would race with what it checks.
        config.counter_flush_interval = std::time::Duration::from_secs(3600);
        let clock = Arc::new(ManualClock::new(at));
        let portal = server::build_with_clock(&config, clock.clone() as Arc<dyn Clock>)
            .await
            .unwrap();
        let conn = db.connect().await;
        Self {
            db,
            conn,
            portal,
            clock,
        }
    }

    fn counter(&self) -> &Arc<Counter> {
        &self.portal.counter
    }

    async fn hit(&self, user_agent: &str, path: &str) -> bool {
        let headers = browser(user_agent);
        self.counter()
            .record(PageHit {
                peer: Some("203.0.113.7".parse().unwrap()),
                headers: &headers,
                path,
            })
            .await
            .unwrap()
    }

    async fn stats(&self) -> app::model::VisitorStats {
        self.counter().flush().await.unwrap();
        self.counter().refresh_stats().await.unwrap()
    }

    async fn finish(self) {
        self.portal.shutdown().await.unwrap();
        self.conn.close().await.unwrap();
        self.db.drop_db().await;
    }
}

async fn day_boundary_is_17_utc(db: TestDb) {
    let s = Setup::new(db, datetime!(2026-11-28 16:59:59 UTC)).await;
    s.hit(BROWSER, "/").await;
    let before = s.stats().await;
    assert_eq!((before.today, before.yesterday), (1, 0));
    s.clock.set(datetime!(2026-11-28 17:00:00 UTC));
    let after = s.stats().await;
    assert_eq!((after.today, after.yesterday), (0, 1));
    // The same person on the new day is a new visit.
    s.hit(BROWSER, "/").await;
    let next = s.stats().await;
    assert_eq!((next.today, next.yesterday, next.total), (1, 1, 2));
    s.finish().await;
}

async fn weeks_start_on_monday_and_months_roll_over(db: TestDb) {
    // Sunday 2026-11-29, 23:59:59 in Vietnam.
    let s = Setup::new(db, datetime!(2026-11-29 16:59:59 UTC)).await;
    s.hit("Visitor/Sunday", "/").await;
    assert_eq!(s.stats().await.this_week, 1);
    // Monday 2026-11-30, 00:00:00 in Vietnam: a new week, the same month.
    s.clock.set(datetime!(2026-11-29 17:00:00 UTC));
    let monday = s.stats().await;
    assert_eq!(
        (monday.this_week, monday.this_month, monday.yesterday),
        (0, 1, 1)
    );
    s.hit("Visitor/Monday", "/").await;
    // Tuesday 2026-12-01 in Vietnam: a new month, the same week.
    s.clock.set(datetime!(2026-11-30 17:00:00 UTC));
    s.hit("Visitor/Tuesday", "/").await;
    let tuesday = s.stats().await;
    assert_eq!(
        (
            tuesday.today,
            tuesday.yesterday,
            tuesday.this_week,
            tuesday.this_month,
            tuesday.total
        ),
        (1, 1, 2, 1, 3)
    );
    // 31/12 23:59:59 → 01/01 00:00:00 in Vietnam: a new year and month.
    s.clock.set(datetime!(2026-12-31 16:59:59 UTC));
    s.hit("Visitor/NewYearsEve", "/").await;
    assert_eq!(s.stats().await.this_month, 2);
    s.clock.set(datetime!(2026-12-31 17:00:00 UTC));
    let new_year = s.stats().await;
    assert_eq!(
        (new_year.today, new_year.yesterday, new_year.this_month),
        (0, 1, 0)
    );
    s.finish().await;
}

async fn a_visitor_counts_once_a_day_and_every_view_counts(db: TestDb) {
    let s = Setup::new(db, datetime!(2026-11-28 03:00:00 UTC)).await;
    for path in ["/", "/tin-tuc/a", "/tin-tuc/b", "/"] {
        assert!(s.hit(BROWSER, path).await);
    }
    s.counter().flush().await.unwrap();
    // Another flush after more views by the same visitor: still one visit.
    s.hit(BROWSER, "/").await;
    let stats = s.stats().await;
    assert_eq!((stats.today, stats.online), (1, 1));
    assert_eq!(totals(&s.conn).await.unwrap(), (1, 5));
    // Another browser on the same IP is another visitor.
    s.hit(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1",
        "/",
    )
    .await;
    assert_eq!(s.stats().await.today, 2);
    // "Online" forgets visitors after five minutes.
    s.clock.set(datetime!(2026-11-28 03:05:01 UTC));
    assert_eq!(s.stats().await.online, 0);
    s.finish().await;
}

async fn bots_and_prefetches_are_not_counted(db: TestDb) {
    let s = Setup::new(db, datetime!(2026-11-28 03:00:00 UTC)).await;
    for bot in [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
    ] {
        assert!(!s.hit(bot, "/").await, "{bot}");
    }
    let mut prefetch = browser(BROWSER);
    prefetch.insert("sec-purpose", HeaderValue::from_static("prefetch"));
    let counted = s
        .counter()
        .record(PageHit {
            peer: None,
            headers: &prefetch,
            path: "/",
        })
        .await
        .unwrap();
    assert!(!counted);
    s.counter().flush().await.unwrap();
    assert_eq!(totals(&s.conn).await.unwrap(), (0, 0));
    s.finish().await;
}

async fn ten_thousand_concurrent_hits_are_counted_exactly(db: TestDb) {
    let s = Setup::new(db, datetime!(2026-11-28 03:00:00 UTC)).await;
    let mut tasks = Vec::new();
    for task in 0..100 {
        let counter = s.counter().clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..100 {
                // 500 distinct visitors, each seen 20 times across tasks.
                let headers = browser(&format!("Mozilla/5.0 Visitor/{}", (task * 100 + i) % 500));
                let path = format!("/tin-tuc/bai-{}", i % 7);
                counter
                    .record(PageHit {
                        peer: None,
                        headers: &headers,
                        path: &path,
                    })
                    .await
                    .unwrap();
                if i % 25 == 0 {
                    // Flushes race with the hits, as the background flusher does.
                    counter.flush().await.unwrap();
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    s.counter().flush().await.unwrap();
    assert_eq!(totals(&s.conn).await.unwrap(), (500, 10_000));
    assert_eq!(s.counter().pending_page_views(), 0);
    s.finish().await;
}

async fn a_failed_flush_keeps_its_counts(db: TestDb) {
    let s = Setup::new(db, datetime!(2026-11-28 03:00:00 UTC)).await;
    for i in 0..10 {
        s.hit(&format!("Mozilla/5.0 Visitor/{i}"), "/").await;
    }
    s.conn
        .execute_unprepared("ALTER TABLE daily_stats RENAME TO daily_stats_away")
        .await
        .unwrap();
    assert!(s.counter().flush().await.is_err());
    assert_eq!(s.counter().pending_page_views(), 10);
    s.hit("Mozilla/5.0 Visitor/late", "/").await;
    s.conn
        .execute_unprepared("ALTER TABLE daily_stats_away RENAME TO daily_stats")
        .await
        .unwrap();
    s.counter().flush().await.unwrap();
    assert_eq!(totals(&s.conn).await.unwrap(), (11, 11));
    s.finish().await;
}

macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::TestDb::sqlite()).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(super::TestDb::postgres().await).await; })*
        }
    };
}

on_both_databases!(
    day_boundary_is_17_utc,
    weeks_start_on_monday_and_months_roll_over,
    a_visitor_counts_once_a_day_and_every_view_counts,
    bots_and_prefetches_are_not_counted,
    ten_thousand_concurrent_hits_are_counted_exactly,
    a_failed_flush_keeps_its_counts,
);

/// The readers [`load`] plays: each stays within a reader's allowance of
/// page views ([`server::counter::VIEW_BURST`]) on each server.
const VISITORS: usize = 200;

/// Sends `per_client` hits from each of `clients` connections, as
/// [`VISITORS`] readers with their own addresses; returns the number the
/// server acknowledged.
async fn load(addr: std::net::SocketAddr, clients: usize, per_client: usize, tag: &str) -> usize {
    let mut tasks = Vec::new();
    for c in 0..clients {
        let tag = tag.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(addr);
            let mut acknowledged = 0;
            for i in 0..per_client {
                let visitor = (c * per_client + i) % VISITORS;
                let agent = format!("Mozilla/5.0 Visitor/{visitor}");
                let address = std::net::IpAddr::from([10, 0, (visitor / 256) as u8, visitor as u8]);
                if client
                    .hit_from(&format!("/tin-tuc/{tag}-{}", i % 3), &agent, Some(address))
                    .await
                    .ok()
                    == Some(204)
                {
                    acknowledged += 1;
                }
            }
            acknowledged
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_loses_no_hit() {
    let db = TestDb::sqlite();
    let server = ServerProcess::start(&db.url).await;
    let addr = server.addr;
    let sender = tokio::spawn(async move { load(addr, 8, 250, "sigterm").await });
    // Terminate while hits are still arriving.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.terminate().await;
    let acknowledged = sender.await.unwrap();
    assert!(acknowledged > 0, "no hit was acknowledged before shutdown");
    let conn = db.connect().await;
    let (visits, views) = totals(&conn).await.unwrap();
    assert_eq!(
        views as usize, acknowledged,
        "hits acknowledged vs recorded"
    );
    assert!(visits as usize <= VISITORS);
    conn.close().await.unwrap();
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_count_exactly() {
    let db = TestDb::postgres().await;
    // The first start migrates; then both run side by side.
    let first = ServerProcess::start(&db.url).await;
    let second = ServerProcess::start(&db.url).await;
    let (a, b) = tokio::join!(
        load(first.addr, 4, 250, "one"),
        load(second.addr, 4, 250, "two")
    );
    assert_eq!((a, b), (1000, 1000));
    first.terminate().await;
    second.terminate().await;
    let conn = db.connect().await;
    // The same readers used both servers: one visit each, 2000 page views.
    assert_eq!(totals(&conn).await.unwrap(), (VISITORS as i64, 2000));
    conn.close().await.unwrap();
    db.drop_db().await;
}
