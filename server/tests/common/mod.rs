//! Test databases: a fresh SQLite file, or a fresh PostgreSQL database that is
//! dropped when the test ends. PostgreSQL is not optional: if it cannot be
//! reached, the tests that need it fail with a message saying so.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other test of any process running now uses: `prefix_pid_n_nanos`.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A database URL for a test, and the clean-up it needs.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("cchc_test")));
        Self {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            cleanup: Cleanup::File(path),
        }
    }

    /// Creates a fresh database on the PostgreSQL server of `CCHC_TEST_POSTGRES_URL`
    /// (default `postgres://postgres@127.0.0.1:5432/postgres`).
    pub async fn postgres() -> Self {
        let admin_url = std::env::var("CCHC_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let admin = Database::connect(&admin_url).await.unwrap_or_else(|err| {
            panic!(
                "PostgreSQL is required for these tests and is unreachable at {admin_url}: {err}"
            )
        });
        let name = unique_name("cchc_test");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await.ok();
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base.to_owned())
            .unwrap_or(admin_url.clone());
        Self {
            url: format!("{base}/{name}"),
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    pub async fn connect(&self) -> DatabaseConnection {
        server::db::connect(&self.url)
            .await
            .expect("connect to the test database")
    }

    /// Removes the database. Call it at the end of the test, after closing
    /// every connection to it.
    pub async fn drop_db(self) {
        match self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("reconnect to PostgreSQL");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .expect("drop the test database");
                admin.close().await.ok();
            }
        }
    }
}
pub mod hits;
pub mod process;

/// Building a portal's router makes Leptos render the app once with
/// resource loading switched off process-wide, which stalls (for ever) any
/// page a parallel test renders at that moment. Tests of one file that
/// build portals and render pages take turns with this.
pub static ONE_PORTAL_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `test` on its own runtime, when no other test of this file runs a
/// portal.
pub fn run_alone(test: impl std::future::Future<Output = ()>) {
    let _turn = ONE_PORTAL_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
        .block_on(test);
}

/// Runs each named `async fn(&TestDb)` as two tests: `sqlite::name` and
/// `postgres::name`, each on a fresh database dropped afterwards.
#[allow(unused_macros)]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDb::sqlite();
                    super::$name(&db).await;
                    db.drop_db().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDb::postgres().await;
                    super::$name(&db).await;
                    db.drop_db().await;
                }
            )*
        }
    };
}

/// The password every account a test creates has.
pub const PASSWORD: &str = "mật khẩu thử nghiệm";

/// Creates the account `username` (shown as `display_name`, password
/// [`PASSWORD`]) in the database at `db_url`, signs it in through the login
/// form of `router`, and returns its id and the session cookie pair
/// (`cchc_phien=…`) to send with later requests.
pub async fn sign_in(
    router: &axum::Router,
    db_url: &str,
    username: &str,
    display_name: &str,
    role: app::model::accounts::Role,
) -> (i32, String) {
    use tower::ServiceExt;
    let conn = server::db::connect(db_url).await.expect("connect");
    let user = server::accounts::users::create_user(&conn, username, display_name, PASSWORD, role)
        .await
        .expect("create the account");
    conn.close().await.ok();
    let body = format!(
        "ten_dang_nhap={username}&mat_khau={}",
        app::url::encode_component(PASSWORD)
    );
    let response = router
        .clone()
        .oneshot(
            axum::http::Request::post("/dang-nhap")
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header("sec-fetch-site", "same-origin")
                .body(axum::body::Body::from(body))
                .expect("a request"),
        )
        .await
        .expect("an answer");
    let cookie = response
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cchc_phien="))
        .expect("signed in");
    (
        user,
        cookie.split(';').next().unwrap_or_default().to_owned(),
    )
}

/// Runs `test` on one Tokio runtime (two workers) shared by the tests of a
/// file that also share one portal: a portal's background tasks live on
/// the runtime that built it.
pub fn run<T>(test: impl std::future::Future<Output = T>) -> T {
    static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a Tokio runtime")
    });
    RUNTIME.block_on(test)
}

/// A fresh SQLite database file `name` in the target's temporary folder,
/// for a portal that lives as long as the test process: the file of the
/// previous run is removed first, instead of after this one.
pub fn process_sqlite_url(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    format!("sqlite://{}?mode=rwc", path.display())
}
