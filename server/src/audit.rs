//! The audit log: who did what, when, and (for sign-ins) from where.
//! Admins read it in the editors' app; nothing ever edits or deletes a line.
//! Events are written in the same transaction as what they record where
//! there is one, so a change and its line are kept or lost together.

use std::net::IpAddr;

use app::model::accounts::{AuditAction, AuditEntry};
use app::ssr::StoreError;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;

use crate::db::entities::{app_user, audit_event};

/// How many lines a page of the log shows.
pub const PAGE_SIZE: u64 = 50;

/// One event to record.
pub struct Event<'a> {
    pub actor: Option<i32>,
    pub action: AuditAction,
    pub target: &'a str,
    pub detail: &'a str,
    /// The client's address; `None` takes the address of the request being
    /// served ([`crate::limits::current_client_ip`], behind trusted proxies
    /// the forwarded one), if any.
    pub ip: Option<IpAddr>,
}

/// The address as the log keeps it: IPv4 to its /24 (`113.161.45.0`), IPv6
/// to its /48; enough to tell an office from an attack, not a person.
pub fn shortened(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::", s[0], s[1], s[2])
        }
    }
}

/// Writes `event` at `at` (inside the caller's transaction, if any).
///
/// # Errors
/// [`StoreError::Storage`] when the database refuses.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    event: Event<'_>,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    audit_event::ActiveModel {
        at: Set(at),
        actor_id: Set(event.actor),
        action: Set(event.action.as_str().to_owned()),
        target: Set(event.target.to_owned()),
        detail: Set(event.detail.to_owned()),
        ip: Set(event
            .ip
            .or_else(crate::limits::current_client_ip)
            .map(shortened)),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::storage)?;
    Ok(())
}

/// A page of the log, newest first: the [`PAGE_SIZE`] lines before the line
/// `before` (or the newest), each with its actor's display name.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    before: Option<i64>,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut query = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .limit(PAGE_SIZE);
    if let Some(before) = before {
        query = query.filter(audit_event::Column::Id.lt(before));
    }
    let rows = query.all(db).await.map_err(StoreError::storage)?;
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
    let names: std::collections::HashMap<i32, String> = if ids.is_empty() {
        Default::default()
    } else {
        app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(ids))
            .all(db)
            .await
            .map_err(StoreError::storage)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(AuditEntry {
                id: row.id,
                at: row.at,
                actor: row.actor_id.and_then(|id| names.get(&id).cloned()),
                action: AuditAction::parse(&row.action)?,
                target: row.target,
                detail: row.detail,
                ip: row.ip,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn addresses_are_kept_short() {
        assert_eq!(shortened("113.161.45.7".parse().unwrap()), "113.161.45.0");
        assert_eq!(
            shortened("2402:800:6314:1a2b::7".parse().unwrap()),
            "2402:800:6314::"
        );
    }
}
