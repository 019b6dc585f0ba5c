//! Scheduled publication: on time to the minute (by the test clock), at
//! start-up after downtime, never before its time on any public page or
//! cache, taken down at a time too, and exactly once with two server
//! processes on one PostgreSQL database.

mod common;

use std::sync::Arc;
use std::time::Duration;

use app::model::accounts::{CurrentUser, Role};
use app::model::editorial::{ArticleDraft, ArticleStatus, Transition};
use app::ssr::StoreError;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestDb;
use common::hits::{BROWSER, Client};
use common::process::ServerProcess;
use http_body_util::BodyExt;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use server::accounts::users;
use server::articles::write::{
    Actor, SaveKind, create_article, schedule_publication, transition_article,
};
use server::counter::clock::ManualClock;
use server::db::entities::{article, article_revision, article_transition};
use time::OffsetDateTime;
use tower::ServiceExt;

/// One test at a time: see [`common::run_alone`].
fn run(test: impl std::future::Future<Output = ()>) {
    common::run_alone(test);
}

/// 17:00 Vietnam time a month ago: readers' pages hide what is dated after
/// the real time, so the whole story is in the past.
fn vn_start() -> OffsetDateTime {
    let month_ago = OffsetDateTime::now_utc() - time::Duration::days(30);
    month_ago
        .to_offset(app::vn_time::VIETNAM)
        .replace_time(time::macros::time!(17:00))
}

/// Where the test clock starts: that moment, in UTC as the real clock gives it.
fn start() -> OffsetDateTime {
    utc(vn_start())
}

/// 08:00 the next day with the Vietnam offset, as the editors' app sends
/// it: "Xuất bản lúc 08:00 ngày mai". Stored and compared with UTC clock
/// times, it must mean the same instant (SQLite compares text).
fn tomorrow_8am() -> OffsetDateTime {
    (vn_start() + time::Duration::days(1)).replace_time(time::macros::time!(08:00))
}

fn utc(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(time::UtcOffset::UTC)
}

fn draft(title: &str) -> ArticleDraft {
    ArticleDraft {
        title: title.to_owned(),
        excerpt: "Tóm tắt bài hẹn giờ.".to_owned(),
        body_html: "<p>Nội dung bài hẹn giờ.</p>".to_owned(),
        author: "Phóng viên".to_owned(),
        category_id: 1,
        ..ArticleDraft::default()
    }
}

/// An article waiting for review, written by the system.
async fn in_review(conn: &DatabaseConnection, title: &str, now: OffsetDateTime) -> (i32, String) {
    let saved = create_article(
        conn,
        Actor::System,
        draft(title),
        ArticleStatus::Draft,
        None,
        SaveKind::Save,
        now,
    )
    .await
    .unwrap();
    transition_article(conn, Actor::System, saved.id, Transition::Submit, "", now)
        .await
        .unwrap();
    (saved.id, saved.slug)
}

async fn get(router: &axum::Router, path: &str) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(
            Request::get(path)
                .header(header::USER_AGENT, BROWSER)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Whether every public place shows the article titled `title` at `path`.
async fn public_everywhere(router: &axum::Router, path: &str, title: &str) -> [bool; 4] {
    let (status, _) = get(router, path).await;
    let (_, home) = get(router, "/").await;
    let (_, rss) = get(router, "/rss.xml").await;
    let (_, sitemap) = get(router, "/sitemap.xml").await;
    [
        status == StatusCode::OK,
        home.contains(title),
        rss.contains(title),
        sitemap.contains(path),
    ]
}

async fn steps(conn: &DatabaseConnection, id: i32) -> Vec<(String, String, Option<i32>)> {
    article_transition::Entity::find()
        .filter(article_transition::Column::ArticleId.eq(id))
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.from_status, s.to_status, s.user_id))
        .collect()
}

async fn editor(conn: &DatabaseConnection, role: Role) -> CurrentUser {
    let name = format!("{role:?}").to_lowercase();
    let id = users::create_user(conn, &name, &name, "mật khẩu thử nghiệm", role)
        .await
        .unwrap();
    CurrentUser {
        id,
        username: name.clone(),
        display_name: name,
        role,
    }
}

async fn on_the_minute(db: &TestDb) {
    let (start_at, eight) = (start(), tomorrow_8am());
    let mut config = server::Config::for_database(&db.url).unwrap();
    config.seed_demo = true;
    config.counter_flush_interval = Duration::from_secs(3600);
    // Pages are kept ten minutes: the publication must still show at once.
    config.page_cache_ttl = Duration::from_secs(600);
    let clock = Arc::new(ManualClock::new(start_at));
    let portal = server::build_with_clock(&config, clock.clone())
        .await
        .expect("build the portal");
    let router = portal.router.clone();
    let conn = db.connect().await;
    let boss = editor(&conn, Role::Editor).await;
    let writer = editor(&conn, Role::Author).await;
    let title = "Thông báo lịch tiếp công dân tháng 12";
    let (id, slug) = in_review(&conn, title, start_at).await;
    let path = app::model::article_path(&slug);
    let editorial = portal.state.editorial.clone();

    // Refusals change nothing.
    let refused = editorial.schedule(&writer, id, eight).await;
    assert!(matches!(refused, Err(StoreError::Forbidden)), "{refused:?}");
    let past = editorial
        .schedule(&boss, id, start_at - time::Duration::minutes(1))
        .await;
    assert!(matches!(past, Err(StoreError::Invalid(_))), "{past:?}");
    let now = editorial.schedule(&boss, id, start_at).await;
    assert!(matches!(now, Err(StoreError::Invalid(_))), "{now:?}");
    let early_takedown = editorial.schedule_unpublish(&boss, id, Some(eight)).await;
    assert!(
        matches!(early_takedown, Err(StoreError::Invalid(_))),
        "a takedown needs a published or scheduled article: {early_takedown:?}"
    );

    let saved = editorial.schedule(&boss, id, eight).await.unwrap();
    assert_eq!(saved.status, ArticleStatus::Scheduled);
    let shown = editorial.article(&boss, id).await.unwrap();
    assert_eq!(shown.publish_at, Some(eight));
    let before = editorial
        .schedule_unpublish(&boss, id, Some(eight - time::Duration::minutes(1)))
        .await;
    assert!(
        matches!(before, Err(StoreError::Invalid(_))),
        "a takedown before the publication: {before:?}"
    );
    let takedown = eight + time::Duration::days(7);
    editorial
        .schedule_unpublish(&boss, id, Some(takedown))
        .await
        .unwrap();
    let listed = editorial
        .list(
            &boss,
            app::model::editorial::ArticleFilter {
                status: Some(ArticleStatus::Scheduled),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].publish_at, Some(eight));
    assert_eq!(listed[0].unpublish_at, Some(takedown));

    // Stored pages from before; a second early: still nowhere.
    assert_eq!(
        public_everywhere(&router, &path, title).await,
        [false; 4],
        "public before its time"
    );
    clock.set(utc(eight - time::Duration::seconds(1)));
    assert!(portal.scheduler.run_due().await.unwrap().is_empty());
    assert_eq!(public_everywhere(&router, &path, title).await, [false; 4]);

    // On the minute: everywhere at once, through the stored pages.
    clock.set(utc(eight));
    portal.scheduler.run_due().await.unwrap();
    assert_eq!(public_everywhere(&router, &path, title).await, [true; 4]);
    let stored = article::Entity::find_by_id(id)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "published");
    assert_eq!(stored.published_at, Some(eight));
    assert_eq!(stored.publish_at, None);
    assert_eq!(
        steps(&conn, id).await,
        [
            ("draft".into(), "review".into(), None),
            ("review".into(), "scheduled".into(), Some(boss.id)),
            ("scheduled".into(), "published".into(), None),
        ]
    );
    // Running again changes nothing.
    clock.set(utc(eight + time::Duration::minutes(1)));
    assert!(portal.scheduler.run_due().await.unwrap().is_empty());

    // Taken down at its time, not a second before.
    clock.set(utc(takedown - time::Duration::seconds(1)));
    assert!(portal.scheduler.run_due().await.unwrap().is_empty());
    assert_eq!(public_everywhere(&router, &path, title).await, [true; 4]);
    clock.set(utc(takedown));
    portal.scheduler.run_due().await.unwrap();
    assert_eq!(public_everywhere(&router, &path, title).await, [false; 4]);
    let stored = article::Entity::find_by_id(id)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "unpublished");
    assert_eq!(stored.unpublish_at, None);

    // Cancelling a schedule puts the article back in the review queue.
    let (other, _) = in_review(&conn, "Bài hẹn giờ rồi hủy", takedown).await;
    editorial
        .schedule(&boss, other, takedown + time::Duration::hours(1))
        .await
        .unwrap();
    let back = editorial
        .transition(&boss, other, Transition::Unschedule, String::new())
        .await
        .unwrap();
    assert_eq!(back.status, ArticleStatus::Review);
    clock.set(utc(takedown + time::Duration::hours(2)));
    assert!(portal.scheduler.run_due().await.unwrap().is_empty());
    let kept = article::Entity::find_by_id(other)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((kept.status.as_str(), kept.publish_at), ("review", None));

    conn.close().await.unwrap();
    portal.shutdown().await.unwrap();
}

#[test]
fn sqlite_publishes_on_the_minute() {
    run(async {
        let db = TestDb::sqlite();
        on_the_minute(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_publishes_on_the_minute() {
    run(async {
        let db = TestDb::postgres().await;
        on_the_minute(&db).await;
        db.drop_db().await;
    });
}

/// Scheduled for 08:00 while the portal was down from 07:00 to 09:30: it is
/// public when the portal answers its first request.
async fn after_downtime(db: &TestDb) {
    let (start_at, eight) = (start(), tomorrow_8am());
    let mut config = server::Config::for_database(&db.url).unwrap();
    config.seed_demo = true;
    config.counter_flush_interval = Duration::from_secs(3600);
    let clock = Arc::new(ManualClock::new(start_at));
    let portal = server::build_with_clock(&config, clock.clone())
        .await
        .unwrap();
    let conn = db.connect().await;
    let title = "Kế hoạch cải cách hành chính năm 2027";
    let (id, slug) = in_review(&conn, title, start_at).await;
    schedule_publication(&conn, Actor::System, id, eight, start_at)
        .await
        .unwrap();
    clock.set(utc(eight - time::Duration::hours(1)));
    portal.shutdown().await.unwrap();

    let restarted_at = utc(eight + time::Duration::minutes(90));
    let portal = server::build_with_clock(&config, Arc::new(ManualClock::new(restarted_at)))
        .await
        .unwrap();
    let (status, body) = get(&portal.router, &app::model::article_path(&slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(title));
    let stored = article::Entity::find_by_id(id)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.published_at, Some(restarted_at));
    conn.close().await.unwrap();
    portal.shutdown().await.unwrap();
}

#[test]
fn sqlite_publishes_after_downtime() {
    run(async {
        let db = TestDb::sqlite();
        after_downtime(&db).await;
        db.drop_db().await;
    });
}

#[test]
fn postgres_publishes_after_downtime() {
    run(async {
        let db = TestDb::postgres().await;
        after_downtime(&db).await;
        db.drop_db().await;
    });
}

/// Two server processes on one PostgreSQL database, 40 articles scheduled
/// for the same second by a third connection: both servers wake for it
/// (the schedule's `NOTIFY`), each article is published exactly once (one
/// step, one revision), and both servers show every one.
#[test]
fn two_servers_publish_exactly_once() {
    run(async {
        let db = TestDb::postgres().await;
        let env = [
            ("CCHC_SEED_DEMO", "true"),
            ("CCHC_PAGE_CACHE_SECONDS", "600"),
        ];
        let first = ServerProcess::start_with(&db.url, &env).await;
        let second = ServerProcess::start_with(&db.url, &env).await;
        let conn = db.connect().await;
        let now = OffsetDateTime::now_utc();
        let mut articles = Vec::new();
        for n in 1..=40 {
            articles.push(in_review(&conn, &format!("Bài hẹn giờ số {n}"), now).await);
        }
        // Both servers store their home page (their listeners are up).
        for server in [&first, &second] {
            server.wait_until_stored().await;
        }
        let at = OffsetDateTime::now_utc() + time::Duration::seconds(2);
        for (id, _) in &articles {
            schedule_publication(&conn, Actor::System, *id, at, OffsetDateTime::now_utc())
                .await
                .unwrap();
        }
        let ids: Vec<i32> = articles.iter().map(|(id, _)| *id).collect();
        let mut published = 0;
        for _ in 0..100 {
            published = article::Entity::find()
                .filter(article::Column::Id.is_in(ids.clone()))
                .filter(article::Column::Status.eq("published"))
                .count(&conn)
                .await
                .unwrap();
            if published == 40 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(published, 40, "published within 10 s of the schedule");
        let late = OffsetDateTime::now_utc() - at;
        eprintln!("all 40 published {late} after their time");
        for id in &ids {
            let published_steps = article_transition::Entity::find()
                .filter(article_transition::Column::ArticleId.eq(*id))
                .filter(article_transition::Column::ToStatus.eq("published"))
                .count(&conn)
                .await
                .unwrap();
            assert_eq!(published_steps, 1, "article {id} published once");
            let revisions = article_revision::Entity::find()
                .filter(article_revision::Column::ArticleId.eq(*id))
                .filter(article_revision::Column::Note.eq("publish"))
                .count(&conn)
                .await
                .unwrap();
            assert_eq!(revisions, 1, "article {id} has one publication revision");
            let stored = article::Entity::find_by_id(*id)
                .one(&conn)
                .await
                .unwrap()
                .unwrap();
            assert!(stored.published_at.unwrap() >= at, "not before its time");
        }
        // Both servers' stored home pages gave way to the newest articles.
        for server in [&first, &second] {
            let home = Client::new(server.addr)
                .get("/", &[("User-Agent", BROWSER)])
                .await
                .unwrap();
            assert!(
                home.text().contains("Bài hẹn giờ số "),
                "{} shows the scheduled articles",
                server.addr
            );
        }
        conn.close().await.unwrap();
        first.terminate().await;
        second.terminate().await;
        db.drop_db().await;
    });
}
