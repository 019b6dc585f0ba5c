//! Load held, and every hit counted exactly: many connections at once on an
//! article page and on the counter beacon against the real server binary
//! (SQLite, demo content, a one-second counter flush), then SIGTERM. Every
//! answer must be a success (200 for the page, 204 for the beacon), and the
//! page views and visits written must equal, to the request, the ones the
//! clients saw acknowledged. Each request comes from a reader of its own
//! (its own forwarded address behind the trusted loopback proxy), so the
//! per-reader allowance and the rate limits do not apply.
//!
//! The test command runs it for 5 s at 256 connections. The long run is a
//! benchmark (a release build, one minute):
//!
//! ```sh
//! LOAD_SECONDS=60 LOAD_CONNECTIONS=256 \
//!   cargo test --release -p server --test load -- --nocapture
//! ```

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use common::TestDb;
use common::hits::{BROWSER, Client};
use common::process::ServerProcess;
use server::counter::store::totals;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    pages: u64,
    beacons: u64,
    errors: Vec<String>,
}

/// The address of connection `connection`'s `n`th reader: unique per request.
fn reader(connection: u64, n: u64) -> IpAddr {
    let [_, _, hi, lo] = (n as u32).to_be_bytes();
    IpAddr::V4(Ipv4Addr::new(10, connection as u8, hi, lo))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_on_the_article_page_and_the_beacon_is_held_and_counted_exactly() {
    let seconds = setting("LOAD_SECONDS", 5);
    let connections = setting("LOAD_CONNECTIONS", 256).clamp(1, 256);
    let db = TestDb::sqlite();
    let server = ServerProcess::start_with(
        &db.url,
        &[
            ("CCHC_SEED_DEMO", "true"),
            ("CCHC_COUNTER_FLUSH_MS", "1000"),
        ],
    )
    .await;
    let addr = server.addr;
    // An article of the demo content, as the home page links it.
    let home = Client::new(addr)
        .get("/", &[("User-Agent", "cchc-load-test-setup (bot)")])
        .await
        .unwrap();
    let html = home.text();
    let start = html
        .find("href=\"/tin-tuc/")
        .expect("the home page links an article")
        + 6;
    let article = html[start..start + html[start..].find('"').unwrap()].to_owned();
    let conn = db.connect().await;
    let before = totals(&conn).await.unwrap();

    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for connection in 0..connections {
        let article = article.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(addr);
            let mut tally = Tally::default();
            let mut n = 0u64;
            while Instant::now() < until {
                n += 1;
                let address = reader(connection, n).to_string();
                if n.is_multiple_of(2) {
                    let headers = [("User-Agent", BROWSER), ("X-Forwarded-For", &address)];
                    match client.get(&article, &headers).await {
                        Ok(reply) if reply.status == 200 => tally.pages += 1,
                        Ok(reply) => tally.errors.push(format!("page: {}", reply.status)),
                        Err(err) => tally.errors.push(format!("page: {err}")),
                    }
                } else {
                    let from = Some(reader(connection, n));
                    match client.hit_from(&article, BROWSER, from).await {
                        Ok(204) => tally.beacons += 1,
                        Ok(status) => tally.errors.push(format!("beacon: {status}")),
                        Err(err) => tally.errors.push(format!("beacon: {err}")),
                    }
                }
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        let tally = task.await.unwrap();
        all.pages += tally.pages;
        all.beacons += tally.beacons;
        all.errors.extend(tally.errors);
    }
    // SIGTERM writes what is still in memory.
    server.terminate().await;
    let after = totals(&conn).await.unwrap();
    let requests = all.pages + all.beacons;
    println!(
        "{connections} connections, {seconds} s: {} page views and {} beacons acknowledged \
         ({:.0} requests/s), {} errors; counted {} page views, {} visits",
        all.pages,
        all.beacons,
        requests as f64 / seconds as f64,
        all.errors.len(),
        after.1 - before.1,
        after.0 - before.0,
    );
    assert!(
        all.errors.is_empty(),
        "errors under load: {:?}",
        &all.errors[..all.errors.len().min(10)]
    );
    assert!(all.pages > 0 && all.beacons > 0);
    let acknowledged = i64::try_from(requests).unwrap();
    assert_eq!(
        after.1 - before.1,
        acknowledged,
        "page views counted vs acknowledged"
    );
    // Every request was a reader of its own: as many visits.
    assert_eq!(
        after.0 - before.0,
        acknowledged,
        "visits counted vs readers"
    );
    conn.close().await.unwrap();
    db.drop_db().await;
}
