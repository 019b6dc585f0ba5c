//! Load benchmark of the visitor counter's endpoint, on loopback.
//!
//! Starts the server binary on a fresh database, drives `POST
//! /api/luot-truy-cap` from many keep-alive connections for a fixed time,
//! stops the server with SIGTERM, then compares the hits the server
//! acknowledged with the page views it recorded. Run it through
//! `scripts/bench-counter.sh`, which builds everything in release mode.
//!
//! Arguments: `SERVER_BINARY [CONNECTIONS] [SECONDS] [DATABASE_URL]`.

#[path = "../tests/common/hits.rs"]
mod hits;

use std::time::{Duration, Instant};

use hits::Client;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .expect("usage: counter_load SERVER_BINARY [CONNECTIONS] [SECONDS] [DATABASE_URL]");
    let connections: usize = args
        .next()
        .map(|a| a.parse().expect("CONNECTIONS"))
        .unwrap_or(32);
    let seconds: u64 = args
        .next()
        .map(|a| a.parse().expect("SECONDS"))
        .unwrap_or(10);
    let scratch = std::env::temp_dir().join(format!("cchc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let database_url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", scratch.display()));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let mut server = tokio::process::Command::new(&binary)
        .env("DATABASE_URL", &database_url)
        .env("LEPTOS_SITE_ADDR", addr.to_string())
        .env("CCHC_SEED_DEMO", "false")
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let mut ready = false;
    for _ in 0..400 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(ready, "the server did not start");

    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..connections {
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(addr);
            let mut latencies = Vec::new();
            let mut acknowledged = 0u64;
            let mut sent = 0u64;
            let mut i = 0u64;
            while Instant::now() < deadline {
                // 2,000 distinct visitors, each reading a few articles.
                let agent = format!(
                    "Mozilla/5.0 (bench) Visitor/{}",
                    (c as u64 * 7919 + i) % 2000
                );
                let path = format!("/tin-tuc/bai-viet-{}", i % 20);
                let t = Instant::now();
                sent += 1;
                if client.hit(&path, &agent).await.ok() == Some(204) {
                    acknowledged += 1;
                    latencies.push(t.elapsed());
                }
                i += 1;
            }
            (sent, acknowledged, latencies)
        }));
    }
    let (mut sent, mut acknowledged, mut latencies) = (0, 0, Vec::new());
    for task in tasks {
        let (s, a, l) = task.await.expect("a load task");
        sent += s;
        acknowledged += a;
        latencies.extend(l);
    }
    let elapsed = start.elapsed();

    let pid = server.id().expect("server running").to_string();
    let _ = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await;
    let exit = server.wait().await.expect("server exit");

    let db = server::db::connect(&database_url)
        .await
        .expect("open the database");
    let (_, recorded) = server::counter::store::totals(&db)
        .await
        .expect("read the totals");
    db.close().await.ok();
    let _ = std::fs::remove_dir_all(&scratch);

    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(f64::NAN)
    };
    println!("connections        {connections}");
    println!("duration           {:.1} s", elapsed.as_secs_f64());
    println!("hits sent          {sent}");
    println!("hits acknowledged  {acknowledged}");
    println!("hits recorded      {recorded}");
    println!("lost (ack - rec)   {}", acknowledged as i64 - recorded);
    println!(
        "throughput         {:.0} hits/s",
        acknowledged as f64 / elapsed.as_secs_f64()
    );
    println!("latency p50        {:.2} ms", pct(0.50));
    println!("latency p99        {:.2} ms", pct(0.99));
    println!("server exit        {exit}");
    if acknowledged as i64 != recorded {
        std::process::exit(1);
    }
}
