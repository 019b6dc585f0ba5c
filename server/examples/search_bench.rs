//! Search benchmark: fills a fresh database with N synthetic articles (words
//! drawn from the demo content), then times searches through the same store
//! the portal uses. Run it through `scripts/bench-search.sh`.
//!
//! Arguments: `[ARTICLES] [DATABASE_URL]` (default 100000, a fresh SQLite file).

use std::time::{Duration, Instant};

use app::model::editorial::ArticleStatus;
use app::ssr::ArticleSearch;
use sea_orm::TransactionTrait;
use server::articles::write::{Actor, ArticleDraft, SaveKind, create_article};
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

    // The demo content's words, as a vocabulary.
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("../src/db/demo/content.json")).expect("demo content");
    let mut words: Vec<String> = Vec::new();
    for article in demo["articles"].as_array().expect("articles") {
        for block in article["blocks"].as_array().expect("blocks") {
            if let Some(text) = block["paragraph"].as_str() {
                words.extend(text.split_whitespace().map(str::to_owned));
            }
        }
    }
    let mut state: u64 = 42;
    let mut pick = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };

    let started = Instant::now();
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("time");
    // Every article goes through the portal's one write path (sanitising,
    // slug, search text, revision), 500 to a transaction.
    let mut written = 0;
    while written < count {
        let txn = db.begin().await.expect("transaction");
        let batch = (count - written).min(500);
        for i in 0..batch {
            let n = written + i;
            let title: Vec<&str> = (0..10).map(|_| words[pick(words.len())].as_str()).collect();
            let body: Vec<&str> = (0..150)
                .map(|_| words[pick(words.len())].as_str())
                .collect();
            let body = body.join(" ");
            let at = now - time::Duration::minutes(n as i64 + 60);
            create_article(
                &txn,
                Actor::System,
                ArticleDraft {
                    title: title.join(" "),
                    excerpt: body.chars().take(200).collect(),
                    body_html: format!("<p>{body}</p>"),
                    author: "Ban biên tập".to_owned(),
                    category_id: 1 + (n % 3) as i32,
                    slug: format!("bai-thu-nghiem-{n}"),
                    ..ArticleDraft::default()
                },
                ArticleStatus::Published,
                Some(at),
                SaveKind::Seed,
                at,
            )
            .await
            .expect("write an article");
        }
        txn.commit().await.expect("commit");
        written += batch;
    }
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
