//! The HTTP side of accounts: the login and logout forms' handlers, the
//! middleware that tells server functions who is signed in, and the
//! same-origin check on every state-changing request (CSRF).

use std::net::SocketAddr;
use std::sync::Arc;

use app::model::accounts::{AuditAction, CurrentUser};
use app::ssr::{SessionsUnavailable, SignedIn, StoreError};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use time::OffsetDateTime;
use tower_sessions::Session;

use super::password::{decoy_hash, verify_password};
use super::sessions::USER_ID_KEY;
use super::{throttle, users};
use crate::counter::visitor::VisitorPolicy;

/// Where the login form lives (GET renders it, POST signs in).
pub const LOGIN_PATH: &str = "/dang-nhap";
/// POST signs out.
pub const LOGOUT_PATH: &str = "/dang-xuat";
/// Where a signed-in editor lands.
pub const EDITORS_HOME: &str = "/quan-tri/";

#[derive(Clone)]
pub struct AccountsState {
    pub db: DatabaseConnection,
    pub policy: Arc<VisitorPolicy>,
}

pub fn routes<S: Clone + Send + Sync + 'static>(state: AccountsState) -> Router<S> {
    Router::new()
        .route(LOGIN_PATH, post(login))
        .route(LOGOUT_PATH, post(logout))
        .route(super::admin::SET_PASSWORD_PATH, post(set_password))
        .with_state(state)
}

#[derive(Deserialize)]
pub struct LoginForm {
    ten_dang_nhap: String,
    mat_khau: String,
}

fn client_ip(state: &AccountsState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    state
        .policy
        .client_ip(peer.map(|p| p.ip()), headers)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn back_to_login(query: &str) -> Response {
    Redirect::to(&format!("{LOGIN_PATH}?{query}")).into_response()
}

/// `POST /dang-nhap` (a plain form: works without JavaScript and with
/// password managers). Success: a new session, 303 to the editors' app.
/// Failure: 303 back to the form with a message; too many failures on the
/// account or from the address: 303 back with the wait, and `Retry-After`.
async fn login(
    State(state): State<AccountsState>,
    session: Session,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<LoginForm>,
) -> Response {
    let username = users::normalise_username(&form.ten_dang_nhap);
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(p)| *p);
    let ip = client_ip(&state, &headers, peer);
    let now = OffsetDateTime::now_utc();
    let again = format!("ten={}", app::url::encode_component(&username));
    match throttle::check(&state.db, &username, &ip, now).await {
        Ok(Ok(())) => {}
        Ok(Err(wait)) => {
            let mut response = back_to_login(&format!("loi=nhieu&sau={wait}&{again}"));
            if let Ok(value) = wait.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Err(err) => {
            tracing::error!(%err, "cannot check login attempts");
            return back_to_login(&format!("loi=ban&{again}"));
        }
    }
    let account = match users::find_by_username(&state.db, &username).await {
        Ok(account) => account,
        Err(err) => {
            tracing::error!(%err, "cannot look up an account");
            return back_to_login(&format!("loi=ban&{again}"));
        }
    };
    let password = form.mat_khau;
    // An unknown, deactivated or invited (no password yet) account costs
    // the same time as a real one.
    let stored = account
        .as_ref()
        .filter(|a| !a.password_hash.is_empty())
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_owned());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .unwrap_or(false);
    let known = account.as_ref().map(|a| a.user.id);
    // Only someone who knows the password learns that the account is locked.
    let locked = matches && account.as_ref().is_some_and(|a| !a.active);
    let signed_in = account.filter(|a| a.active && matches);
    if let Err(err) = throttle::record(&state.db, &username, &ip, signed_in.is_some(), now).await {
        tracing::error!(%err, "cannot record a login attempt");
    }
    // A name no account has may be a password typed in the wrong field:
    // it is not kept.
    let target = if known.is_some() {
        username.as_str()
    } else {
        "(tên đăng nhập không có trong hệ thống)"
    };
    let event = crate::audit::Event {
        actor: signed_in.as_ref().map(|a| a.user.id).or(known),
        action: if signed_in.is_some() {
            AuditAction::Login
        } else {
            AuditAction::LoginFailed
        },
        target,
        detail: if locked {
            "Tài khoản đã bị khóa"
        } else {
            ""
        },
        ip: ip.parse().ok(),
    };
    if let Err(err) = crate::audit::record(&state.db, event, now).await {
        tracing::error!(%err, "cannot write the audit log");
    }
    let Some(account) = signed_in else {
        let code = if locked { "khoa" } else { "sai" };
        return back_to_login(&format!("loi={code}&{again}"));
    };
    // A new session id at login: a session fixed before it is worth nothing.
    if let Err(err) = session.cycle_id().await {
        tracing::error!(%err, "cannot start a session");
        return back_to_login(&format!("loi=ban&{again}"));
    }
    if let Err(err) = session.insert(USER_ID_KEY, account.user.id).await {
        tracing::error!(%err, "cannot start a session");
        return back_to_login(&format!("loi=ban&{again}"));
    }
    Redirect::to(EDITORS_HOME).into_response()
}

#[derive(Deserialize)]
pub struct SetPasswordForm {
    ma: String,
    mat_khau: String,
    nhap_lai: String,
}

/// `POST /dat-mat-khau` (a plain form): sets the password of a one-time
/// link's account, then 303 to the login form with the user name filled
/// in; a mistake goes back to the form (`?loi=…`, the link still works); a
/// used or expired link goes back to the page that says so.
async fn set_password(
    State(state): State<AccountsState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<SetPasswordForm>,
) -> Response {
    let back = |code: &str| {
        Redirect::to(&format!(
            "{}?ma={}&loi={code}",
            super::admin::SET_PASSWORD_PATH,
            app::url::encode_component(&form.ma)
        ))
        .into_response()
    };
    if form.mat_khau != form.nhap_lai {
        return back("khac");
    }
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(p)| *p);
    let ip = client_ip(&state, &headers, peer).parse().ok();
    let now = OffsetDateTime::now_utc();
    match super::admin::use_link(&state.db, &form.ma, &form.mat_khau, ip, now).await {
        Ok(username) => Redirect::to(&format!(
            "{LOGIN_PATH}?da-dat-mat-khau=1&ten={}",
            app::url::encode_component(&username)
        ))
        .into_response(),
        Err(StoreError::Invalid(_)) => back("ngan"),
        Err(StoreError::NotFound) => back("het-han"),
        Err(err) => {
            tracing::error!(%err, "cannot set a password from a link");
            back("ban")
        }
    }
}

/// `POST /dang-xuat`: ends the session.
async fn logout(session: Session) -> Response {
    if let Err(err) = session.flush().await {
        tracing::error!(%err, "cannot end a session");
    }
    Redirect::to(&format!("{LOGIN_PATH}?da-dang-xuat=1")).into_response()
}

/// The signed-in user of the request's session, if any, checked against
/// the database on every request: a deactivated account, or one whose
/// session was ended, is signed out at its next request.
pub async fn authenticate(
    State(state): State<AccountsState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    match signed_in_user(&state, &session).await {
        Ok(Some(user)) => {
            if let Some(id) = session.id() {
                request.extensions_mut().insert(SignedIn {
                    user,
                    session_id: id.to_string(),
                });
            }
        }
        Ok(None) => {}
        Err(()) => {
            request.extensions_mut().insert(SessionsUnavailable);
        }
    }
    next.run(request).await
}

/// The active account of `session`; `Err` when the session or the account
/// could not be read (logged), which is not the same as nobody.
async fn signed_in_user(
    state: &AccountsState,
    session: &Session,
) -> Result<Option<CurrentUser>, ()> {
    let id = match session.get::<i32>(USER_ID_KEY).await {
        Ok(Some(id)) => id,
        Ok(None) => return Ok(None),
        Err(err) => {
            tracing::warn!(%err, "cannot read a session");
            return Err(());
        }
    };
    match users::find_by_id(&state.db, id).await {
        Ok(Some(account)) if account.active => Ok(Some(account.user)),
        Ok(_) => {
            let _ = session.flush().await;
            Ok(None)
        }
        Err(err) => {
            tracing::error!(%err, "cannot load the signed-in account");
            Err(())
        }
    }
}

/// Refuses state-changing requests that a browser marks as coming from
/// another site (`Sec-Fetch-Site`), or whose `Origin` is not this site's:
/// a page elsewhere cannot make a signed-in editor's browser change
/// anything. Clients that are not browsers send neither header and are
/// not a cross-site risk.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !is_same_origin(request.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "Yêu cầu bị từ chối vì không xuất phát từ trang này.",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| !host.is_empty() && authority == host)
}

#[cfg(test)]
mod tests {
    use super::is_same_origin;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_this_site_may_write() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://cchc.example"),
            ("host", "cchc.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "cchc.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "cchc.example")
        ])));
        assert!(is_same_origin(&headers(&[])));
    }
}
