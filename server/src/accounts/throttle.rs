//! Login throttling, per account and per address, counted in the database
//! so that several app servers throttle together.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use time::{Duration, OffsetDateTime};

use crate::db::entities::login_attempt;

/// Failed attempts are counted over this window.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failed attempts on one account within the window before it is refused.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed attempts from one address within the window before it is refused.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;

/// `Err(seconds)` to wait when the account or the address has failed too
/// often in the last [`WINDOW`]; `Ok(())` otherwise.
pub async fn check(
    db: &DatabaseConnection,
    username: &str,
    ip: &str,
    now: OffsetDateTime,
) -> Result<Result<(), u64>, sea_orm::DbErr> {
    let since = now - WINDOW;
    for (column, value, limit) in [
        (
            login_attempt::Column::Username,
            username,
            MAX_FAILURES_PER_ACCOUNT,
        ),
        (login_attempt::Column::Ip, ip, MAX_FAILURES_PER_ADDRESS),
    ] {
        let failures = login_attempt::Entity::find()
            .filter(column.eq(value))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::CreatedAt.gt(since));
        if failures.clone().count(db).await? >= limit {
            // Free again when the oldest counted failure leaves the window.
            let oldest = failures
                .order_by_asc(login_attempt::Column::CreatedAt)
                .one(db)
                .await?
                .map(|a| a.created_at)
                .unwrap_or(now);
            let wait = (oldest + WINDOW - now).whole_seconds().max(1) as u64;
            return Ok(Err(wait));
        }
    }
    Ok(Ok(()))
}

/// Records an attempt. A success clears the account's failures; attempts
/// older than a day are deleted.
pub async fn record(
    db: &DatabaseConnection,
    username: &str,
    ip: &str,
    succeeded: bool,
    now: OffsetDateTime,
) -> Result<(), sea_orm::DbErr> {
    if succeeded {
        login_attempt::Entity::delete_many()
            .filter(login_attempt::Column::Username.eq(username))
            .exec(db)
            .await?;
    }
    login_attempt::ActiveModel {
        username: Set(username.to_owned()),
        ip: Set(ip.to_owned()),
        succeeded: Set(succeeded),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::CreatedAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    Ok(())
}
