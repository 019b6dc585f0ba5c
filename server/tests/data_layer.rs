//! The persistence layer, run against SQLite and against PostgreSQL.

#[macro_use]
mod common;

use app::ssr::{ArticleReader, ArticleSearch, SiteSettings};
use common::TestDb;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, Set, Statement,
};
use server::articles::ArticleStore;
use server::db::entities::{article, category};
use server::search::SearchStore;
use server::settings::SettingsStore;
use time::macros::datetime;

const REFERENCE_SLUG: &str = "can-tho-to-chuc-hoi-nghi-tong-ket-chuong-trinh-hanh-dong-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-giai-doan-2015-2017";

async fn prepared(db: &TestDb) -> DatabaseConnection {
    let conn = db.connect().await;
    server::db::prepare(&conn, true)
        .await
        .expect("migrate and seed");
    conn
}

/// Seeds once, and never again over existing data.
async fn seeds_once(db: &TestDb) {
    let conn = prepared(db).await;
    let articles = article::Entity::find().count(&conn).await.unwrap();
    let categories = category::Entity::find().count(&conn).await.unwrap();
    assert!(articles >= 10, "demo content has {articles} articles");
    assert!(categories >= 2, "demo content has {categories} categories");
    server::db::prepare(&conn, true)
        .await
        .expect("prepare again");
    assert_eq!(
        article::Entity::find().count(&conn).await.unwrap(),
        articles
    );
    assert_eq!(
        category::Entity::find().count(&conn).await.unwrap(),
        categories
    );
    conn.close().await.unwrap();
}

/// The reference article comes back whole, with its exact time.
async fn reads_the_reference_article(db: &TestDb) {
    let conn = prepared(db).await;
    let store = ArticleStore::new(conn.clone(), "https://cchc.example");
    let article = store
        .article_by_slug(REFERENCE_SLUG)
        .await
        .unwrap()
        .expect("the reference article exists");
    assert_eq!(
        article.title,
        "Cần Thơ tổ chức Hội nghị tổng kết Chương trình hành động nâng cao chỉ số Hiệu quả quản trị và Hành chính công giai đoạn 2015-2017"
    );
    assert_eq!(article.published_at, datetime!(2017-12-01 16:33:00 +07:00));
    assert_eq!(
        app::vn_time::format_datetime(article.published_at),
        "16:33 - 01/12/2017"
    );
    assert_eq!(article.author, "Việt Uyên");
    assert_eq!(article.category.slug, "tin-tuc-su-kien");
    for caption in [
        "Toàn cảnh hội nghị",
        "Phó Giám đốc Sở Nội vụ Trương Hồng Dự trình bày báo cáo tóm tắt kết quả thực hiện Chương trình hành động",
        "Ông Lê Nguyễn Sinh Nhựt (chức vụ) tham luận tại hội nghị",
        "Phó Chủ tịch Ủy ban nhân dân thành phố Lê Văn Tâm phát biểu chỉ đạo",
    ] {
        assert!(
            article
                .body_html
                .contains(&format!("<figcaption>{caption}</figcaption>")),
            "missing caption {caption}"
        );
    }
    assert!(article.excerpt.starts_with("Ngày 28 tháng 11 năm 2017"));
    assert!(
        store
            .article_by_slug("khong-co-bai-nay")
            .await
            .unwrap()
            .is_none()
    );
    conn.close().await.unwrap();
}

/// Feeds are newest first, paginate, and hide drafts and scheduled articles.
async fn lists_only_visible_articles_newest_first(db: &TestDb) {
    let conn = prepared(db).await;
    let category_id = category::Entity::find()
        .one(&conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap();
    for (slug, status, published_at) in [
        ("ban-nhap", "draft", Some(now - time::Duration::days(1))),
        (
            "hen-gio",
            article::STATUS_PUBLISHED,
            Some(now + time::Duration::days(1)),
        ),
    ] {
        article::ActiveModel {
            slug: Set(slug.into()),
            title: Set(slug.into()),
            excerpt: Set(String::new()),
            body_html: Set(String::new()),
            author: Set("Ban biên tập".into()),
            category_id: Set(category_id),
            status: Set(status.into()),
            published_at: Set(published_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&conn)
        .await
        .unwrap();
    }
    let store = ArticleStore::new(conn.clone(), "https://cchc.example");
    let first = store.latest_articles(1, 5).await.unwrap();
    let demo_count = first.total;
    assert_eq!(first.items.len(), 5);
    assert!(
        first
            .items
            .windows(2)
            .all(|w| w[0].published_at >= w[1].published_at),
        "not newest first"
    );
    let all = store.latest_articles(1, 100).await.unwrap();
    assert_eq!(all.items.len() as u64, demo_count);
    assert!(
        all.items
            .iter()
            .all(|a| a.slug != "ban-nhap" && a.slug != "hen-gio")
    );
    assert!(all.items.iter().any(|a| a.slug == REFERENCE_SLUG));
    let second = store.latest_articles(2, 5).await.unwrap();
    assert_ne!(first.items[0].slug, second.items[0].slug);
    assert!(
        store
            .latest_articles(1000, 5)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(store.article_by_slug("ban-nhap").await.unwrap().is_none());
    assert!(store.article_by_slug("hen-gio").await.unwrap().is_none());
    // "Tin đọc nhiều" ranks by views and, however viewed, never shows a
    // draft or an article whose publish time has not come.
    let today = now.to_offset(time::macros::offset!(+7)).date();
    let id_of = |slug: &'static str| {
        let conn = conn.clone();
        async move {
            article::Entity::find()
                .filter(article::Column::Slug.eq(slug))
                .one(&conn)
                .await
                .unwrap()
                .unwrap()
                .id
        }
    };
    let second_slug = all
        .items
        .iter()
        .find(|a| a.slug != REFERENCE_SLUG)
        .unwrap()
        .slug
        .clone();
    let second_id = article::Entity::find()
        .filter(article::Column::Slug.eq(second_slug.as_str()))
        .one(&conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    for (id, views) in [
        (id_of("ban-nhap").await, 900_000i64),
        (id_of("hen-gio").await, 800_000),
        (id_of(REFERENCE_SLUG).await, 500_000),
        (second_id, 600_000),
    ] {
        conn.execute_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            match conn.get_database_backend() {
                DatabaseBackend::Postgres => {
                    "INSERT INTO article_daily_views (article_id, day, views) VALUES ($1, $2, $3)"
                }
                _ => "INSERT INTO article_daily_views (article_id, day, views) VALUES (?, ?, ?)",
            },
            [id.into(), today.into(), views.into()],
        ))
        .await
        .unwrap();
    }
    let most_read: Vec<String> = store
        .most_read(30, 5)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.slug)
        .collect();
    // The demo seed has views of its own, far fewer than these.
    assert_eq!(most_read[..2], [second_slug.as_str(), REFERENCE_SLUG]);
    assert!(
        !most_read
            .iter()
            .any(|slug| slug == "ban-nhap" || slug == "hen-gio")
    );
    conn.close().await.unwrap();
}

/// Article bodies reach readers through an allow-list sanitiser.
async fn sanitises_article_bodies(db: &TestDb) {
    let conn = prepared(db).await;
    let category_id = category::Entity::find()
        .one(&conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap();
    article::ActiveModel {
        slug: Set("doc-hai".into()),
        title: Set("Độc hại".into()),
        excerpt: Set(String::new()),
        body_html: Set("<p onclick=\"steal()\">Chữ<script>alert(1)</script></p>\
            <figure><img src=\"/a.svg\" alt=\"Ảnh\" width=\"800\" onerror=\"x()\">\
            <figcaption>Chú thích</figcaption></figure><a href=\"javascript:alert(1)\">x</a>"
            .into()),
        author: Set("Ban biên tập".into()),
        category_id: Set(category_id),
        status: Set(article::STATUS_PUBLISHED.into()),
        published_at: Set(Some(now - time::Duration::hours(1))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap();
    let store = ArticleStore::new(conn.clone(), "https://cchc.example");
    let body = store
        .article_by_slug("doc-hai")
        .await
        .unwrap()
        .unwrap()
        .body_html;
    for forbidden in ["<script", "onclick", "onerror", "javascript:"] {
        assert!(!body.contains(forbidden), "{forbidden} survived: {body}");
    }
    assert!(body.contains("<p>Chữ</p>"), "{body}");
    assert!(
        body.contains("<figcaption>Chú thích</figcaption>"),
        "{body}"
    );
    assert!(body.contains("width=\"800\""), "{body}");
    conn.close().await.unwrap();
}

/// Full-text search folds case and diacritics the same way on both databases.
async fn searches_without_diacritics(db: &TestDb) {
    let conn = prepared(db).await;
    let store = SearchStore::new(conn.clone());
    let slugs = |page: app::model::Paged<app::model::SearchHit>| -> Vec<String> {
        page.items.into_iter().map(|hit| hit.article.slug).collect()
    };
    let plain = slugs(store.search("can tho", 1, 50).await.unwrap());
    assert!(plain.contains(&REFERENCE_SLUG.to_owned()), "{plain:?}");
    assert_eq!(slugs(store.search("CẦN THƠ", 1, 50).await.unwrap()), plain);
    assert_eq!(slugs(store.search("Cần Thơ", 1, 50).await.unwrap()), plain);
    let found = store.search("hanh chinh cong", 1, 50).await.unwrap();
    assert!(
        found
            .items
            .iter()
            .any(|hit| hit.article.slug == REFERENCE_SLUG)
    );
    assert_eq!(found.total as usize, found.items.len());
    // A title match ranks above body-only matches.
    let papi = store.search("mot cua", 1, 50).await.unwrap();
    assert_eq!(
        papi.items[0].article.slug,
        "thanh-pho-can-tho-ban-hanh-quy-che-thuc-hien-co-che-mot-cua"
    );
    for absurd in [
        "",
        "!!! ???",
        "\"x\" AND (y*) OR NEAR/2",
        "'; DROP TABLE article; --",
        &"ả".repeat(10_000),
    ] {
        let result = store.search(absurd, 1, 10).await;
        assert!(result.is_ok(), "{absurd:.30}: {result:?}");
    }
    assert_eq!(store.search("!!! ???", 1, 10).await.unwrap().total, 0);
    // Pages past the end are empty, not errors.
    assert!(
        store
            .search("can tho", 99, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    conn.close().await.unwrap();
}

/// Text typed in decomposed Unicode (NFD: Unikey's "Unicode tổ hợp", PDFs,
/// macOS) finds exactly what the usual precomposed form finds.
async fn searches_decomposed_text(db: &TestDb) {
    use unicode_normalization::UnicodeNormalization;
    let conn = prepared(db).await;
    let store = SearchStore::new(conn.clone());
    let composed = "Thành phố Cần Thơ";
    let decomposed: String = composed.nfd().collect();
    assert_ne!(decomposed, composed);
    let usual = store.search(composed, 1, 50).await.unwrap();
    let typed = store.search(&decomposed, 1, 50).await.unwrap();
    assert!(usual.total >= 2, "the demo content mentions the city");
    assert_eq!(typed.total, usual.total);
    let slugs = |hits: &[app::model::SearchHit]| -> Vec<String> {
        hits.iter().map(|hit| hit.article.slug.clone()).collect()
    };
    assert_eq!(slugs(&typed.items), slugs(&usual.items));
    assert_eq!(typed.items[0].snippet, usual.items[0].snippet);
    assert!(typed.items[0].snippet.iter().any(|part| part.highlight));
    conn.close().await.unwrap();
}

/// A word found in more articles than a reader can page through: the count
/// says "more than 1,000", every reachable page is full and pages never
/// repeat a hit, and relevance ranks the newest matches only, so that such a
/// search costs the same at any size of archive (issue 9).
async fn ranks_the_newest_matches_of_a_common_word(db: &TestDb) {
    let conn = prepared(db).await;
    let cap = app::api::search::SEARCH_COUNT_CAP;
    // About 98 % of these bodies have "công" (generator words of the demo).
    server::db::synthetic::write_articles(&conn, 1_100)
        .await
        .unwrap();
    let store = SearchStore::new(conn.clone());
    let first = store.search("cong", 1, 10).await.unwrap();
    assert!(first.total > cap, "{}", first.total);
    let mut seen = std::collections::HashSet::new();
    for page in 1..=cap / 10 {
        let found = store.search("cong", page, 10).await.unwrap();
        assert_eq!(found.items.len(), 10, "page {page}");
        for hit in found.items {
            // The demo articles were written first: older than every candidate.
            assert!(
                hit.article.slug.starts_with("bai-thu-nghiem-"),
                "{}",
                hit.article.slug
            );
            assert!(seen.insert(hit.article.slug), "page {page} repeats a hit");
        }
    }
    assert_eq!(seen.len() as u64, cap);
    conn.close().await.unwrap();
}

/// The identity is seeded once and editable afterwards.
async fn stores_the_site_identity(db: &TestDb) {
    let conn = prepared(db).await;
    let store = SettingsStore::new(conn.clone());
    let seeded = store.site_identity().await.unwrap();
    assert_eq!(seeded, app::site::SiteIdentity::default());
    let mut edited = seeded.clone();
    edited.responsible_person = "Trưởng ban biên tập".into();
    server::settings::save_identity(&conn, &edited)
        .await
        .unwrap();
    // Starting again does not overwrite what was edited.
    server::db::prepare(&conn, true).await.unwrap();
    assert_eq!(store.site_identity().await.unwrap(), edited);
    conn.close().await.unwrap();
}

on_both_databases!(
    seeds_once,
    reads_the_reference_article,
    lists_only_visible_articles_newest_first,
    sanitises_article_bodies,
    searches_without_diacritics,
    searches_decomposed_text,
    ranks_the_newest_matches_of_a_common_word,
    stores_the_site_identity,
);

/// Several app servers starting at once on one PostgreSQL database migrate and
/// seed exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_start_ups_on_postgres_seed_once() {
    let db = TestDb::postgres().await;
    let conns = futures_join(&db).await;
    let count = article::Entity::find().count(&conns[0]).await.unwrap();
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("../src/db/demo/content.json")).unwrap();
    assert_eq!(count as usize, demo["articles"].as_array().unwrap().len());
    for conn in conns {
        conn.close().await.unwrap();
    }
    db.drop_db().await;
}

async fn futures_join(db: &TestDb) -> Vec<DatabaseConnection> {
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let url = db.url.clone();
        tasks.push(tokio::spawn(async move {
            let conn = server::db::connect(&url).await.unwrap();
            server::db::prepare(&conn, true).await.unwrap();
            conn
        }));
    }
    let mut conns = Vec::new();
    for task in tasks {
        conns.push(task.await.unwrap());
    }
    conns
}
