//! Search benchmark: fills a fresh database with N synthetic articles
//! (`server::db::synthetic`), then times searches through the same store
//! the portal uses. Run it through `scripts/bench-search.sh`.
//!
//! Arguments: `[ARTICLES] [DATABASE_URL]` (default 100000, a fresh SQLite file).

use std::time::{Duration, Instant};

use app::ssr::ArticleSearch;
use server::search::SearchStore;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args
        .next()
        .map(|a| a.parse().expect("ARTICLES"))
        .unwrap_or(100_000);
    let scratch = std::env::temp_dir().join(format!("cchc-search-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", scratch.display()));

    let db = server::db::connect(&url).await.expect("connect");
    server::db::prepare(&db, true)
        .await
        .expect("migrate and seed");

    let started = Instant::now();
    server::db::synthetic::write_articles(&db, count)
        .await
        .expect("write the articles");
    println!(
        "articles written     {count} in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let store = SearchStore::new(db.clone());
    println!(
        "{:<28} {:>9} {:>10} {:>10}",
        "query", "found", "median", "p95"
    );
    for query in [
        "can tho",
        "CẦN THƠ",
        "hanh chinh cong",
        "một cửa liên thông",
        "papi",
        "khongcotu",
        "cong khai minh bach trach nhiem",
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut found = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let page = store.search(query, 1, 10).await.expect("search");
            times.push(t.elapsed());
            found = page.total;
        }
        times.sort();
        println!(
            "{:<28} {:>9} {:>8.1}ms {:>8.1}ms",
            query,
            found,
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() * 95 / 100].as_secs_f64() * 1000.0
        );
    }
    db.close().await.ok();
    let _ = std::fs::remove_dir_all(&scratch);
}
