//! Site settings, stored as JSON documents under a key.

use std::sync::Arc;

use app::error::FieldError;
use app::model::accounts::{AuditAction, CurrentUser};
use app::site::{Phone, SiteIdentity, SiteLink};
use app::ssr::{SiteSettings, StoreError};
use async_trait::async_trait;
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::changes::PublicChanges;
use crate::db::entities::category;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, DeriveIden};

#[derive(DeriveIden)]
enum SiteSetting {
    Table,
    Key,
    Value,
}

const IDENTITY: &str = "identity";

async fn load<C: ConnectionTrait>(db: &C, key: &str) -> Result<Option<String>, DbErr> {
    let select = Query::select()
        .column(SiteSetting::Value)
        .from(SiteSetting::Table)
        .and_where(Expr::col(SiteSetting::Key).eq(key))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "value")?)),
        None => Ok(None),
    }
}

async fn store<C: ConnectionTrait>(
    db: &C,
    key: &str,
    value: String,
    replace: bool,
) -> Result<(), DbErr> {
    let mut on_conflict = OnConflict::column(SiteSetting::Key);
    if replace {
        on_conflict.update_column(SiteSetting::Value);
    } else {
        on_conflict.do_nothing();
    }
    let mut insert = Query::insert();
    insert
        .into_table(SiteSetting::Table)
        .columns([SiteSetting::Key, SiteSetting::Value])
        .values([key.into(), value.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(on_conflict.to_owned());
    db.execute(&insert).await?;
    Ok(())
}

/// The stored identity; the built-in one if none is stored yet.
pub async fn identity<C: ConnectionTrait>(db: &C) -> Result<SiteIdentity, DbErr> {
    match load(db, IDENTITY).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| DbErr::Custom(format!("the stored site identity is malformed: {e}"))),
        None => Ok(SiteIdentity::default()),
    }
}

pub async fn save_identity<C: ConnectionTrait>(
    db: &C,
    identity: &SiteIdentity,
) -> Result<(), DbErr> {
    let json = serde_json::to_string(identity).map_err(|e| DbErr::Custom(e.to_string()))?;
    store(db, IDENTITY, json, true).await
}

/// Stores the reference page's identity unless one is stored already.
pub async fn seed_identity<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let json = serde_json::to_string(&SiteIdentity::default())
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    store(db, IDENTITY, json, false).await
}

/// The secret that signs the public forms' time tokens, made once and
/// shared through the database by every server.
pub async fn form_secret<C: ConnectionTrait>(db: &C) -> Result<String, DbErr> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| DbErr::Custom(format!("no randomness: {e}")))?;
    let fresh: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    store(db, FORM_SECRET, fresh, false).await?;
    load(db, FORM_SECRET)
        .await?
        .ok_or_else(|| DbErr::Custom("the form secret was not stored".into()))
}

const FORM_SECRET: &str = "form_secret";

/// The most linked websites, and the longest line of most fields.
pub const MAX_LINKED_SITES: usize = 30;
const MAX_LINE_CHARS: usize = 300;
const MAX_NOTICE_CHARS: usize = 1_000;

fn tidy(text: &str) -> String {
    crate::text::nfc(text.trim()).into_owned()
}

/// A portal path (`/media/…`, `/banner.svg`): never another site, never markup.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['"', '\'', '<', '>', '\\', ' '])
}

fn is_web_address(url: &str, https_only: bool) -> bool {
    let scheme_ok = url.starts_with("https://") || (!https_only && url.starts_with("http://"));
    scheme_ok
        && url.len() > "https://".len()
        && url.len() <= 500
        && !url.contains(['"', '\'', '<', '>', '\\', ' ', '`'])
}

fn is_email(email: &str) -> bool {
    let mut parts = email.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(user), Some(domain), None)
            if !user.is_empty() && domain.contains('.') && !email.contains([' ', '<', '>', '"'])
    )
}

fn clean_phone(phone: &Phone, field: &str, problems: &mut Vec<FieldError>) -> Phone {
    let shown = tidy(&phone.shown);
    let mut dial: String = phone
        .dial
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if dial.is_empty() {
        dial = shown.chars().filter(|c| c.is_ascii_digit()).collect();
    }
    let digits = dial.trim_start_matches('+');
    let well_formed =
        (6..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
    if shown.is_empty() || !well_formed {
        problems.push(FieldError::new(
            field,
            "Số điện thoại cần có từ 6 đến 15 chữ số (có thể bắt đầu bằng +).",
        ));
    }
    Phone { shown, dial }
}

/// The identity, trimmed and normalised, or every problem at once by
/// field. What Decree 42/2022 art. 7 and Decree 15/2020 art. 99 ask a portal
/// to state (name, managing unit, person responsible, address, contacts)
/// is required.
pub fn clean_identity(input: SiteIdentity) -> Result<SiteIdentity, StoreError> {
    let mut problems = Vec::new();
    let mut line = |field: &str, label: &str, text: &str, required: bool, max: usize| {
        let text = tidy(text);
        if required && text.is_empty() {
            problems.push(FieldError::new(
                field,
                &format!("Xin vui lòng nhập {label}."),
            ));
        } else if text.chars().count() > max {
            problems.push(FieldError::new(
                field,
                &format!("{label} dài quá {max} ký tự."),
            ));
        }
        text
    };
    let tagline = line(
        "tagline",
        "dòng giới thiệu",
        &input.tagline,
        false,
        MAX_LINE_CHARS,
    );
    let name = line("name", "tên trang", &input.name, true, MAX_LINE_CHARS);
    let managing_unit = line(
        "managing_unit",
        "đơn vị quản lý",
        &input.managing_unit,
        true,
        MAX_LINE_CHARS,
    );
    let responsible_person = line(
        "responsible_person",
        "người chịu trách nhiệm nội dung",
        &input.responsible_person,
        true,
        MAX_LINE_CHARS,
    );
    let address = line("address", "địa chỉ", &input.address, true, MAX_LINE_CHARS);
    let fax = line("fax", "số fax", &input.fax, false, 50);
    let division_name = line(
        "division_name",
        "tên phòng phụ trách",
        &input.division_name,
        false,
        MAX_LINE_CHARS,
    );
    let copyright = line(
        "copyright",
        "dòng bản quyền",
        &input.copyright,
        true,
        MAX_LINE_CHARS,
    );
    let republish_notice = line(
        "republish_notice",
        "ghi chú khi phát hành lại",
        &input.republish_notice,
        false,
        MAX_NOTICE_CHARS,
    );
    let banner_alt = line(
        "banner_alt",
        "mô tả ảnh banner",
        &input.banner_alt,
        true,
        MAX_LINE_CHARS,
    );
    let email = tidy(&input.email);
    let division_email = tidy(&input.division_email);
    let banner = input.banner.trim().to_owned();
    let banner_mobile = input.banner_mobile.trim().to_owned();
    let monitoring_script = input.monitoring_script.trim().to_owned();
    if !is_email(&email) {
        problems.push(FieldError::new("email", "Địa chỉ email chưa đúng."));
    }
    if !division_email.is_empty() && !is_email(&division_email) {
        problems.push(FieldError::new(
            "division_email",
            "Địa chỉ email của phòng chưa đúng.",
        ));
    }
    for (field, path) in [("banner", &banner), ("banner_mobile", &banner_mobile)] {
        if !is_local_path(path) {
            problems.push(FieldError::new(
                field,
                "Ảnh banner phải là một ảnh trên cổng thông tin này (bắt đầu bằng “/”).",
            ));
        }
    }
    if !monitoring_script.is_empty() && !is_web_address(&monitoring_script, true) {
        problems.push(FieldError::new(
            "monitoring_script",
            "Mã theo dõi phải là địa chỉ https của tệp script do hệ thống giám sát cấp.",
        ));
    }
    let phone = clean_phone(&input.phone, "phone", &mut problems);
    let division_phone = if input.division_phone.shown.trim().is_empty() {
        Phone {
            shown: String::new(),
            dial: String::new(),
        }
    } else {
        clean_phone(&input.division_phone, "division_phone", &mut problems)
    };
    let hotlines: Vec<Phone> = input
        .hotlines
        .iter()
        .filter(|p| !p.shown.trim().is_empty())
        .map(|p| clean_phone(p, "hotlines", &mut problems))
        .collect();
    let linked_sites: Vec<SiteLink> = input
        .linked_sites
        .iter()
        .map(|link| SiteLink {
            name: tidy(&link.name),
            url: link.url.trim().to_owned(),
        })
        .filter(|link| !(link.name.is_empty() && link.url.is_empty()))
        .collect();
    if linked_sites.len() > MAX_LINKED_SITES
        || linked_sites.iter().any(|l| {
            l.name.is_empty()
                || l.name.chars().count() > MAX_LINE_CHARS
                || !is_web_address(&l.url, false)
        })
    {
        problems.push(FieldError::new(
            "linked_sites",
            &format!(
                "Mỗi liên kết cần tên và địa chỉ http(s) đầy đủ; tối đa {MAX_LINKED_SITES} liên kết."
            ),
        ));
    }
    problems.dedup_by(|a, b| a.field == b.field);
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    Ok(SiteIdentity {
        tagline,
        name,
        managing_unit,
        responsible_person,
        address,
        hotlines,
        phone,
        fax,
        email,
        division_name,
        division_phone,
        division_email,
        copyright,
        republish_notice,
        banner,
        banner_mobile,
        banner_alt,
        linked_sites,
        monitoring_script,
    })
}

/// The labels of the fields that differ, for the audit log.
fn changed_fields(old: &SiteIdentity, new: &SiteIdentity) -> String {
    let pairs: [(&str, bool); 12] = [
        (
            "tên trang",
            old.name != new.name || old.tagline != new.tagline,
        ),
        ("đơn vị quản lý", old.managing_unit != new.managing_unit),
        (
            "người chịu trách nhiệm",
            old.responsible_person != new.responsible_person,
        ),
        ("địa chỉ", old.address != new.address),
        ("đường dây nóng", old.hotlines != new.hotlines),
        (
            "điện thoại, fax, email",
            old.phone != new.phone || old.fax != new.fax || old.email != new.email,
        ),
        (
            "phòng phụ trách",
            old.division_name != new.division_name
                || old.division_phone != new.division_phone
                || old.division_email != new.division_email,
        ),
        (
            "bản quyền",
            old.copyright != new.copyright || old.republish_notice != new.republish_notice,
        ),
        (
            "banner",
            old.banner != new.banner
                || old.banner_mobile != new.banner_mobile
                || old.banner_alt != new.banner_alt,
        ),
        ("liên kết website", old.linked_sites != new.linked_sites),
        (
            "mã theo dõi",
            old.monitoring_script != new.monitoring_script,
        ),
        ("(không đổi)", false),
    ];
    let changed: Vec<&str> = pairs
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(label, _)| *label)
        .collect();
    if changed.is_empty() {
        "Không có thay đổi".to_owned()
    } else {
        format!("Đã đổi: {}", changed.join(", "))
    }
}

/// The SeaORM implementation of [`SiteSettings`].
#[derive(Clone)]
pub struct SettingsStore {
    db: DatabaseConnection,
    /// Told when the identity or the menu changes: every page shows them.
    changes: Option<Arc<PublicChanges>>,
}

impl SettingsStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db, changes: None }
    }

    /// Drops this server's stored pages after each change (the others hear
    /// of it by `NOTIFY`).
    pub fn with_changes(mut self, changes: Arc<PublicChanges>) -> Self {
        self.changes = Some(changes);
        self
    }

    async fn begin_write(&self) -> Result<sea_orm::DatabaseTransaction, StoreError> {
        crate::db::begin_write(&self.db)
            .await
            .map_err(StoreError::storage)
    }

    /// Records the change in the audit log, tells every server, commits,
    /// and drops this server's stored pages.
    async fn finish(
        &self,
        txn: sea_orm::DatabaseTransaction,
        by: &CurrentUser,
        target: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let event = crate::audit::Event {
            actor: Some(by.id),
            action: AuditAction::SettingsChanged,
            target,
            detail,
            ip: None,
        };
        crate::changes::commit_with_audit(txn, event, true, self.changes.as_deref()).await
    }
}

#[async_trait]
impl SiteSettings for SettingsStore {
    async fn site_identity(&self) -> Result<SiteIdentity, StoreError> {
        identity(&self.db).await.map_err(StoreError::storage)
    }

    async fn save_identity(
        &self,
        by: &CurrentUser,
        input: SiteIdentity,
    ) -> Result<SiteIdentity, StoreError> {
        let new = clean_identity(input)?;
        let txn = self.begin_write().await?;
        let old = identity(&txn).await.map_err(StoreError::storage)?;
        save_identity(&txn, &new)
            .await
            .map_err(StoreError::storage)?;
        let detail = changed_fields(&old, &new);
        self.finish(txn, by, "Thông tin trang", &detail).await?;
        Ok(new)
    }

    async fn reorder_menu(&self, by: &CurrentUser, ids: Vec<i32>) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let categories = category::Entity::find()
            .all(&txn)
            .await
            .map_err(StoreError::storage)?;
        let mut wanted = ids.clone();
        wanted.sort_unstable();
        let mut stored: Vec<i32> = categories.iter().map(|c| c.id).collect();
        stored.sort_unstable();
        if wanted != stored {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "menu",
                "Danh sách chuyên mục đã thay đổi. Xin vui lòng tải lại trang rồi sắp xếp lại.",
            )]));
        }
        for model in categories {
            let position = ids
                .iter()
                .position(|id| *id == model.id)
                .unwrap_or_default() as i32;
            if model.position != position {
                let mut active: category::ActiveModel = model.into();
                active.position = Set(position);
                active.update(&txn).await.map_err(StoreError::storage)?;
            }
        }
        self.finish(txn, by, "Thứ tự chuyên mục", "").await
    }
}

#[cfg(test)]
mod tests {
    use super::clean_identity;
    use app::site::{SiteIdentity, SiteLink};
    use app::ssr::StoreError;

    fn fields(result: Result<SiteIdentity, StoreError>) -> Vec<String> {
        match result {
            Err(StoreError::Invalid(problems)) => problems.into_iter().map(|p| p.field).collect(),
            other => panic!("accepted: {other:?}"),
        }
    }

    #[test]
    fn the_built_in_identity_is_valid() {
        let cleaned = clean_identity(SiteIdentity::default()).unwrap();
        assert_eq!(cleaned, SiteIdentity::default());
    }

    #[test]
    fn every_problem_is_named_and_nothing_foreign_gets_in() {
        let mut bad = SiteIdentity {
            name: "  ".into(),
            email: "not an email".into(),
            banner: "https://elsewhere.example/b.png".into(),
            banner_mobile: "/ok.png\"><script>".into(),
            monitoring_script: "http://tracker.example/a.js".into(),
            ..SiteIdentity::default()
        };
        bad.linked_sites.push(SiteLink {
            name: "Lạ".into(),
            url: "javascript:alert(1)".into(),
        });
        bad.phone.dial = "12".into();
        assert_eq!(
            fields(clean_identity(bad)),
            [
                "name",
                "email",
                "banner",
                "banner_mobile",
                "monitoring_script",
                "phone",
                "linked_sites"
            ]
        );
    }

    #[test]
    fn text_is_trimmed_and_empty_lines_dropped() {
        let mut input = SiteIdentity {
            address: "  51 Lý Tự Trọng  ".into(),
            monitoring_script: " https://giamsat.example.vn/ma.js ".into(),
            ..SiteIdentity::default()
        };
        input.linked_sites.push(SiteLink {
            name: " ".into(),
            url: "".into(),
        });
        let cleaned = clean_identity(input).unwrap();
        assert_eq!(cleaned.address, "51 Lý Tự Trọng");
        assert_eq!(
            cleaned.monitoring_script,
            "https://giamsat.example.vn/ma.js"
        );
        assert_eq!(cleaned.linked_sites, SiteLink::defaults());
    }
}
