//! Synthetic articles for benchmarks: titles and bodies made of the demo
//! content's words, written through the portal's one write path
//! (sanitising, slug, search text, revision), 500 to a transaction.

use sea_orm::{DatabaseConnection, TransactionTrait};
use time::OffsetDateTime;

use crate::articles::write::{Actor, ArticleDraft, SaveKind, create_article};
use app::model::editorial::ArticleStatus;
use app::ssr::StoreError;

/// The demo content's words, in order: the generator's vocabulary.
fn vocabulary() -> Vec<String> {
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("demo/content.json")).unwrap_or_default();
    let mut words = Vec::new();
    for article in demo["articles"].as_array().into_iter().flatten() {
        for block in article["blocks"].as_array().into_iter().flatten() {
            if let Some(text) = block["paragraph"].as_str() {
                words.extend(text.split_whitespace().map(str::to_owned));
            }
        }
    }
    if words.is_empty() {
        words.push("cải cách hành chính".to_owned());
    }
    words
}

/// Writes `count` published articles (slugs `bai-thu-nghiem-{n}`, one a
/// minute back from an hour ago, in categories 1–3 in turn, 150 words
/// each), the same for the same `count` on every run.
///
/// # Errors
/// The write path's, e.g. when a slug is already taken by an earlier run.
pub async fn write_articles(db: &DatabaseConnection, count: usize) -> Result<(), StoreError> {
    let words = vocabulary();
    let mut state: u64 = 42;
    let mut pick = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::now_utc());
    let mut written = 0;
    while written < count {
        let txn = db.begin().await.map_err(StoreError::storage)?;
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
            .await?;
        }
        txn.commit().await.map_err(StoreError::storage)?;
        written += batch;
    }
    Ok(())
}
