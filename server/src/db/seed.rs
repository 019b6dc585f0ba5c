//! Demo content for a fresh install: the reference article from the Cần Thơ
//! portal and enough other news to fill the feeds. Seeded once, into an empty
//! database only.

use app::model::editorial::ArticleStatus;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};
use serde::Deserialize;
use time::OffsetDateTime;

use super::entities::{article, category};
use crate::articles::write::{Actor, ArticleDraft, SaveKind, create_article};
use crate::feeds::xml_escape;

#[derive(Deserialize)]
struct DemoContent {
    categories: Vec<DemoCategory>,
    articles: Vec<DemoArticle>,
}

#[derive(Deserialize)]
struct DemoCategory {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
struct DemoArticle {
    title: String,
    category: String,
    author: String,
    #[serde(with = "time::serde::rfc3339")]
    published_at: OffsetDateTime,
    blocks: Vec<Block>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Block {
    Paragraph(String),
    Figure { image: String, caption: String },
}

const DEMO_CONTENT: &str = include_str!("demo/content.json");

/// Seeds the demo content when the database has no categories yet.
/// Returns whether it seeded.
pub async fn seed_if_empty<C: ConnectionTrait + TransactionTrait>(db: &C) -> Result<bool, DbErr> {
    if category::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let content: DemoContent = serde_json::from_str(DEMO_CONTENT)
        .map_err(|e| DbErr::Custom(format!("demo content is malformed: {e}")))?;
    let mut category_ids = Vec::new();
    for (position, demo) in content.categories.into_iter().enumerate() {
        let saved = category::ActiveModel {
            slug: Set(demo.slug.clone()),
            name: Set(demo.name),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(db)
        .await?;
        category_ids.push((demo.slug, saved.id));
    }
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    for demo in content.articles {
        let category_id = category_ids
            .iter()
            .find(|(slug, _)| *slug == demo.category)
            .map(|(_, id)| *id)
            .ok_or_else(|| DbErr::Custom(format!("unknown demo category {}", demo.category)))?;
        let excerpt = demo
            .blocks
            .iter()
            .find_map(|block| match block {
                Block::Paragraph(text) => Some(text.clone()),
                Block::Figure { .. } => None,
            })
            .unwrap_or_default();
        create_article(
            db,
            Actor::System,
            ArticleDraft {
                title: demo.title,
                excerpt,
                body_html: body_html(&demo.blocks),
                author: demo.author,
                category_id,
                ..ArticleDraft::default()
            },
            ArticleStatus::Published,
            Some(demo.published_at.to_offset(time::UtcOffset::UTC)),
            SaveKind::Seed,
            now,
        )
        .await
        .map_err(|err| DbErr::Custom(format!("cannot seed a demo article: {err}")))?;
    }
    seed_counter_history(db, now).await?;
    crate::documents::seed::insert_demo(db, now).await?;
    Ok(true)
}

/// The total shown on the reference page, carried over from the old portal.
pub const DEMO_BASE_TOTAL: u64 = 123_081;

/// Plausible visits for the 90 days before today and article views for the
/// last 30, so that a fresh install's counter and "most read" block show numbers.
async fn seed_counter_history<C: ConnectionTrait>(
    db: &C,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    use crate::counter::{calendar::vn_day, store};
    use std::collections::BTreeMap;

    store::set_base_total(db, DEMO_BASE_TOTAL).await?;
    let today = vn_day(now);
    // A fixed pseudo-random sequence: the same demo on every install.
    let mut state: u64 = 0x2017_1201_1633;
    let mut next = move |range: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % range
    };
    let mut days = BTreeMap::new();
    for back in 1..=90 {
        let day = today - time::Duration::days(back);
        let weekend = day.weekday().number_days_from_monday() >= 5;
        let visits = if weekend {
            20 + next(30)
        } else {
            45 + next(60)
        } as i64;
        let views = visits * (2 + next(3) as i64);
        days.insert(day, (visits, views));
    }
    store::add_history(db, &days).await?;
    let ids: Vec<i32> = article::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut views = Vec::new();
    for back in 1..=30 {
        let day = today - time::Duration::days(back);
        for (rank, id) in ids.iter().enumerate() {
            let n = next(12 + 3 * (ids.len() - rank) as u64) as i64;
            if n > 0 {
                views.push((*id, day, n));
            }
        }
    }
    store::add_article_views(db, &views).await
}

fn body_html(blocks: &[Block]) -> String {
    let mut html = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                html.push_str("<p>");
                html.push_str(&xml_escape(text));
                html.push_str("</p>\n");
            }
            Block::Figure { image, caption } => {
                let caption = xml_escape(caption);
                html.push_str(&format!(
                    "<figure><img src=\"{}\" alt=\"{caption}\" width=\"800\" height=\"450\" \
                     loading=\"lazy\"><figcaption>{caption}</figcaption></figure>\n",
                    xml_escape(image)
                ));
            }
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_content_parses_and_every_article_has_a_known_category() {
        let content: DemoContent = serde_json::from_str(DEMO_CONTENT).unwrap();
        assert!(content.articles.len() >= 10);
        for article in &content.articles {
            assert!(
                content
                    .categories
                    .iter()
                    .any(|c| c.slug == article.category),
                "{} has an unknown category",
                article.title
            );
        }
    }

    #[test]
    fn body_html_escapes_text_and_keeps_captions() {
        let html = body_html(&[
            Block::Paragraph("a < b & \"c\"".into()),
            Block::Figure {
                image: "/demo/x.svg".into(),
                caption: "Toàn cảnh".into(),
            },
        ]);
        assert!(html.contains("<p>a &lt; b &amp; &quot;c&quot;</p>"));
        assert!(html.contains("<figcaption>Toàn cảnh</figcaption>"));
    }
}
