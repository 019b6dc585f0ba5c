//! Writing articles: the one path every save takes (the editors' app, the
//! demo seed, the search benchmark). In one transaction it normalises the
//! text to NFC, sanitises the body with the allow-list, derives a unique
//! slug, folds the search text, checks and bumps the version, and keeps a
//! revision; workflow steps are recorded the same way.

use app::error::FieldError;
use app::model::accounts::{AuditAction, Role};
use app::model::editorial::{ArticleStatus, Transition};
use app::ssr::StoreError;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};
use time::OffsetDateTime;

use super::sanitize::sanitize;
use crate::db::entities::{article, article_revision, article_transition, category};
use crate::search::{fold, html_to_text};
use crate::slug::slugify;
use crate::text::nfc;

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// The longest lead (sapo), in characters.
pub const MAX_EXCERPT_CHARS: usize = 2_000;
/// The largest body, in bytes of HTML (a 20,000-word article is ~150 KB).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// The longest slug, in characters.
pub const MAX_SLUG_CHARS: usize = 200;
/// Autosaves of one person within this many minutes of the last one share
/// one revision.
pub const AUTOSAVE_SITTING_MINUTES: i64 = 30;

/// What a save carries is what the editor sends: [`ArticleDraft`]. Its
/// `slug` is the address asked for (empty: derived from the title), ignored
/// once the article has been published, as its address is stable.
pub use app::model::editorial::ArticleDraft;

/// The most tags an article may have, and the longest tag.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 60;
/// The longest description for search engines, in characters.
pub const MAX_SEO_CHARS: usize = 300;

/// Tags trimmed, in NFC, without empties or repeats (compared without case).
pub fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = nfc(tag.trim()).into_owned();
        if !tag.is_empty() && !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    out
}

/// Who is acting: an account and its role, or the system (seed, tools).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    User { id: i32, role: Role },
    System,
}

impl Actor {
    fn user_id(self) -> Option<i32> {
        match self {
            Self::User { id, .. } => Some(id),
            Self::System => None,
        }
    }

    fn role(self) -> Role {
        match self {
            Self::User { role, .. } => role,
            Self::System => Role::Admin,
        }
    }
}

/// Why a save is made; kept with the revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveKind {
    /// The editor pressed "Lưu".
    Save,
    /// Saved by itself a few seconds after typing stopped.
    Autosave,
    /// An older revision brought back.
    Restore,
    /// Written by the demo seed or a tool.
    Seed,
}

impl SaveKind {
    fn note(self) -> &'static str {
        match self {
            Self::Save => "save",
            Self::Autosave => "autosave",
            Self::Restore => "restore",
            Self::Seed => "seed",
        }
    }
}

/// What a save or a step left behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub id: i32,
    pub version: i64,
    pub slug: String,
    pub status: ArticleStatus,
    /// Whether readers' pages changed (the article is or was published):
    /// the caller then tells this server's page cache
    /// ([`crate::changes::PublicChanges::changed`]); other servers heard of
    /// it at commit ([`crate::changes::notify_in`]).
    pub public_change: bool,
}

fn storage(err: sea_orm::DbErr) -> StoreError {
    StoreError::storage(err)
}

async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, StoreError> {
    crate::db::begin_write(db).await.map_err(storage)
}

/// The input, normalised and checked: every problem at once, by field.
fn clean(input: ArticleDraft) -> Result<ArticleDraft, StoreError> {
    let title = nfc(input.title.trim()).into_owned();
    let excerpt = nfc(input.excerpt.trim()).into_owned();
    let author = nfc(input.author.trim()).into_owned();
    let body_html = sanitize(&nfc(&input.body_html));
    let mut problems = Vec::new();
    if title.is_empty() {
        problems.push(FieldError::new("title", "Xin vui lòng nhập tiêu đề."));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        problems.push(FieldError::new(
            "title",
            &format!("Tiêu đề dài quá {MAX_TITLE_CHARS} ký tự."),
        ));
    }
    if excerpt.chars().count() > MAX_EXCERPT_CHARS {
        problems.push(FieldError::new(
            "excerpt",
            &format!("Phần tóm tắt dài quá {MAX_EXCERPT_CHARS} ký tự."),
        ));
    }
    if body_html.len() > MAX_BODY_BYTES {
        problems.push(FieldError::new(
            "body",
            "Nội dung bài viết quá dài (hơn 2 MB). Xin vui lòng chia thành nhiều bài.",
        ));
    }
    if author.chars().count() > 200 {
        problems.push(FieldError::new("author", "Tên tác giả dài quá 200 ký tự."));
    }
    let seo_description = nfc(input.seo_description.trim()).into_owned();
    if seo_description.chars().count() > MAX_SEO_CHARS {
        problems.push(FieldError::new(
            "seo_description",
            &format!("Mô tả cho máy tìm kiếm dài quá {MAX_SEO_CHARS} ký tự."),
        ));
    }
    let tags = clean_tags(&input.tags);
    if tags.len() > MAX_TAGS || tags.iter().any(|t| t.chars().count() > MAX_TAG_CHARS) {
        problems.push(FieldError::new(
            "tags",
            &format!("Tối đa {MAX_TAGS} từ khóa, mỗi từ khóa không quá {MAX_TAG_CHARS} ký tự."),
        ));
    }
    let cover_image = input.cover_image.trim().to_owned();
    let cover_alt = nfc(input.cover_alt.trim()).into_owned();
    if !cover_image.is_empty() {
        // Only the portal's own files: never another site's address or a script.
        let local = cover_image.starts_with('/')
            && !cover_image.starts_with("//")
            && !cover_image.contains(['"', '<', '>', '\\', ' ']);
        if !local {
            problems.push(FieldError::new(
                "cover_image",
                "Ảnh đại diện phải là một ảnh trên cổng thông tin này (bắt đầu bằng “/”).",
            ));
        }
        if cover_alt.is_empty() {
            problems.push(FieldError::new(
                "cover_alt",
                "Xin vui lòng nhập mô tả cho ảnh đại diện (dành cho người khiếm thị).",
            ));
        }
    }
    let slug = match input.slug.trim() {
        "" => String::new(),
        asked => {
            let slug = slugify(asked);
            if slug.is_empty() {
                problems.push(FieldError::new(
                    "slug",
                    "Đường dẫn phải có ít nhất một chữ cái hoặc chữ số.",
                ));
            }
            slug
        }
    };
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    Ok(ArticleDraft {
        title,
        excerpt,
        body_html,
        author,
        category_id: input.category_id,
        slug,
        seo_description,
        tags,
        featured: input.featured,
        in_headlines: input.in_headlines,
        cover_image,
        cover_alt,
    })
}

fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".to_owned())
}

/// The tags stored as JSON; none when the column is malformed.
pub fn tags_of(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_default()
}

/// `base`, or `base-2`, `base-3`, … : the first that no other article uses.
/// Candidates are looked up twenty at a time by equality, so the unique
/// index answers and no save scans the table.
async fn unique_slug<C: ConnectionTrait>(
    db: &C,
    base: &str,
    except: Option<i32>,
) -> Result<String, StoreError> {
    let base: String = if base.is_empty() { "bai-viet" } else { base }
        .chars()
        .take(MAX_SLUG_CHARS)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned();
    let candidate = |n: u32| {
        if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        }
    };
    for first in (1..).step_by(20).take(50) {
        let batch: Vec<String> = (first..first + 20).map(candidate).collect();
        let mut query = article::Entity::find().filter(article::Column::Slug.is_in(batch.clone()));
        if let Some(id) = except {
            query = query.filter(article::Column::Id.ne(id));
        }
        let taken: std::collections::HashSet<String> = query
            .all(db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|a| a.slug)
            .collect();
        if let Some(free) = batch.into_iter().find(|slug| !taken.contains(slug)) {
            return Ok(free);
        }
    }
    Err(StoreError::Invalid(vec![FieldError::new(
        "slug",
        "Đã có quá nhiều bài cùng đường dẫn này. Xin vui lòng đặt đường dẫn khác.",
    )]))
}

/// The stored article `id`, or [`StoreError::NotFound`].
async fn load<C: ConnectionTrait>(db: &C, id: i32) -> Result<article::Model, StoreError> {
    article::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage)?
        .ok_or(StoreError::NotFound)
}

async fn ensure_category<C: ConnectionTrait>(db: &C, id: i32) -> Result<(), StoreError> {
    match category::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage)?
    {
        Some(_) => Ok(()),
        None => Err(StoreError::Invalid(vec![FieldError::new(
            "category",
            "Xin vui lòng chọn một chuyên mục có trong danh sách.",
        )])),
    }
}

fn status_of(model: &article::Model) -> Result<ArticleStatus, StoreError> {
    ArticleStatus::parse(&model.status).ok_or_else(|| {
        StoreError::Storage(format!(
            "article {} has an unknown status {:?}",
            model.id, model.status
        ))
    })
}

/// Whether `actor` may change the content of `model`. Authors edit their
/// own drafts and returned articles; editors and admins edit any article.
fn may_edit(actor: Actor, model: &article::Model) -> Result<bool, StoreError> {
    Ok(match actor {
        Actor::System => true,
        Actor::User { role, .. } if role >= Role::Editor => true,
        Actor::User { id, .. } => {
            model.created_by == Some(id)
                && matches!(
                    status_of(model)?,
                    ArticleStatus::Draft | ArticleStatus::Returned
                )
        }
    })
}

async fn keep_revision<C: ConnectionTrait>(
    db: &C,
    model: &article::Model,
    note: &str,
    by: Option<i32>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    // One sitting's autosaves share one revision: the latest one, if it is
    // this person's autosave of the last half hour, is brought up to date.
    if note == "autosave" {
        let latest = article_revision::Entity::find()
            .filter(article_revision::Column::ArticleId.eq(model.id))
            .order_by_desc(article_revision::Column::Id)
            .one(db)
            .await
            .map_err(storage)?;
        if let Some(latest) = latest
            && latest.note == "autosave"
            && latest.saved_by == by
            && now - latest.created_at < time::Duration::minutes(AUTOSAVE_SITTING_MINUTES)
        {
            let mut active: article_revision::ActiveModel = latest.into();
            active.version = Set(model.version);
            active.slug = Set(model.slug.clone());
            active.title = Set(model.title.clone());
            active.excerpt = Set(model.excerpt.clone());
            active.body_html = Set(model.body_html.clone());
            active.category_id = Set(model.category_id);
            active.status = Set(model.status.clone());
            active.created_at = Set(now);
            active.update(db).await.map_err(storage)?;
            return Ok(());
        }
    }
    article_revision::ActiveModel {
        article_id: Set(model.id),
        version: Set(model.version),
        slug: Set(model.slug.clone()),
        title: Set(model.title.clone()),
        excerpt: Set(model.excerpt.clone()),
        body_html: Set(model.body_html.clone()),
        category_id: Set(model.category_id),
        status: Set(model.status.clone()),
        note: Set(note.to_owned()),
        saved_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage)?;
    Ok(())
}

/// Creates an article with `status` (a draft for editors; the seed writes
/// published articles with their own `published_at`).
pub async fn create_article<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: Actor,
    input: ArticleDraft,
    status: ArticleStatus,
    published_at: Option<OffsetDateTime>,
    kind: SaveKind,
    now: OffsetDateTime,
) -> Result<Saved, StoreError> {
    let input = clean(input)?;
    let txn = begin_write(db).await?;
    ensure_category(&txn, input.category_id).await?;
    let slug = unique_slug(
        &txn,
        &if input.slug.is_empty() {
            slugify(&input.title)
        } else {
            input.slug.clone()
        },
        None,
    )
    .await?;
    let model = article::ActiveModel {
        slug: Set(slug),
        search_title: Set(fold(&input.title)),
        search_body: Set(fold(&html_to_text(&input.body_html))),
        title: Set(input.title),
        excerpt: Set(input.excerpt),
        body_html: Set(input.body_html),
        author: Set(input.author),
        category_id: Set(input.category_id),
        status: Set(status.as_str().to_owned()),
        published_at: Set(published_at),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        created_by: Set(actor.user_id()),
        tags: Set(tags_json(&input.tags)),
        seo_description: Set(input.seo_description),
        featured: Set(input.featured),
        in_headlines: Set(input.in_headlines),
        cover_image: Set(input.cover_image),
        cover_alt: Set(input.cover_alt),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(storage)?;
    keep_revision(&txn, &model, kind.note(), actor.user_id(), now).await?;
    let public_change = status == ArticleStatus::Published;
    if public_change {
        crate::changes::notify_in(&txn).await.map_err(storage)?;
    }
    txn.commit().await.map_err(storage)?;
    Ok(Saved {
        id: model.id,
        version: model.version,
        slug: model.slug,
        status,
        public_change,
    })
}

/// Saves new content over version `base_version` of article `id`. Nothing
/// is written when it fails: [`StoreError::Conflict`] when someone saved in
/// between, [`StoreError::NotFound`] when there is no such article,
/// [`StoreError::Forbidden`] when `actor` may not edit it, and
/// [`StoreError::Invalid`] naming each field to fix.
pub async fn update_article<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: Actor,
    id: i32,
    base_version: i64,
    input: ArticleDraft,
    kind: SaveKind,
    now: OffsetDateTime,
) -> Result<Saved, StoreError> {
    let input = clean(input)?;
    let txn = begin_write(db).await?;
    let current = load(&txn, id).await?;
    if !may_edit(actor, &current)? {
        return Err(StoreError::Forbidden);
    }
    if current.version != base_version {
        return Err(StoreError::Conflict {
            expected: base_version,
            current: current.version,
        });
    }
    ensure_category(&txn, input.category_id).await?;
    let status = status_of(&current)?;
    let ever_published = current.published_at.is_some()
        || matches!(
            status,
            ArticleStatus::Published | ArticleStatus::Unpublished
        );
    let slug = if ever_published {
        current.slug.clone()
    } else {
        // Until publication the address follows the title, unless the
        // editor has chosen one: a slug that is not the old title's.
        let from_title = slugify(&input.title);
        let old_auto = slugify(&current.title);
        let was_automatic = current.slug == old_auto
            || current
                .slug
                .strip_prefix(&format!("{old_auto}-"))
                .is_some_and(|n| n.parse::<u32>().is_ok());
        let asked = input.slug.clone();
        let wanted = if !asked.is_empty() && (asked != current.slug || !was_automatic) {
            asked
        } else {
            from_title
        };
        if wanted == current.slug {
            wanted
        } else {
            unique_slug(&txn, &wanted, Some(id)).await?
        }
    };
    // The version check and the bump are one statement: two servers saving
    // at once cannot both pass it.
    let updated = article::Entity::update_many()
        .col_expr(article::Column::Slug, Expr::value(slug))
        .col_expr(article::Column::Title, Expr::value(input.title.clone()))
        .col_expr(
            article::Column::SearchTitle,
            Expr::value(fold(&input.title)),
        )
        .col_expr(
            article::Column::SearchBody,
            Expr::value(fold(&html_to_text(&input.body_html))),
        )
        .col_expr(article::Column::Excerpt, Expr::value(input.excerpt))
        .col_expr(article::Column::BodyHtml, Expr::value(input.body_html))
        .col_expr(article::Column::Author, Expr::value(input.author))
        .col_expr(article::Column::CategoryId, Expr::value(input.category_id))
        .col_expr(article::Column::Tags, Expr::value(tags_json(&input.tags)))
        .col_expr(
            article::Column::SeoDescription,
            Expr::value(input.seo_description),
        )
        .col_expr(article::Column::Featured, Expr::value(input.featured))
        .col_expr(
            article::Column::InHeadlines,
            Expr::value(input.in_headlines),
        )
        .col_expr(article::Column::CoverImage, Expr::value(input.cover_image))
        .col_expr(article::Column::CoverAlt, Expr::value(input.cover_alt))
        .col_expr(article::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            article::Column::Version,
            Expr::col(article::Column::Version).add(1),
        )
        .filter(article::Column::Id.eq(id))
        .filter(article::Column::Version.eq(base_version))
        .exec(&txn)
        .await
        .map_err(storage)?;
    if updated.rows_affected != 1 {
        let now_stored = load(&txn, id).await?;
        return Err(StoreError::Conflict {
            expected: base_version,
            current: now_stored.version,
        });
    }
    let model = load(&txn, id).await?;
    keep_revision(&txn, &model, kind.note(), actor.user_id(), now).await?;
    let public_change = status == ArticleStatus::Published;
    if public_change {
        crate::changes::notify_in(&txn).await.map_err(storage)?;
    }
    txn.commit().await.map_err(storage)?;
    Ok(Saved {
        id,
        version: model.version,
        slug: model.slug,
        status,
        public_change,
    })
}

/// Takes a workflow step (submit, return, publish, unpublish, unschedule):
/// checks that the step exists from the current status and that `actor` may
/// take it (authors submit only their own articles; returning needs a
/// comment), then changes the status, bumps the version, keeps a revision
/// and records who did what, when and why.
pub async fn transition_article<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: Actor,
    id: i32,
    step: Transition,
    comment: &str,
    now: OffsetDateTime,
) -> Result<Saved, StoreError> {
    let comment = nfc(comment.trim()).into_owned();
    let txn = begin_write(db).await?;
    let current = load(&txn, id).await?;
    if actor.role() < step.required_role() {
        return Err(StoreError::Forbidden);
    }
    if let Actor::User { id: user, role } = actor
        && role == Role::Author
        && current.created_by != Some(user)
    {
        return Err(StoreError::Forbidden);
    }
    let from = status_of(&current)?;
    let Some(to) = step.target(from) else {
        return Err(not_from(from));
    };
    if step == Transition::Return && comment.is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "comment",
            "Xin vui lòng ghi rõ lý do trả lại để tác giả sửa.",
        )]));
    }
    let change = StatusChange {
        to,
        note: step.note(),
        comment,
        // Publishing now or cancelling drops the schedule; taking an
        // article down by hand drops its planned takedown.
        publish_at: matches!(step, Transition::Publish | Transition::Unschedule).then_some(None),
        unpublish_at: (step == Transition::Unpublish).then_some(None),
    };
    let saved = change_status(&txn, actor.user_id(), &current, change, now).await?;
    txn.commit().await.map_err(storage)?;
    Ok(saved)
}

fn not_from(from: ArticleStatus) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(
        "status",
        &format!(
            "Bài viết đang ở trạng thái “{}”, không thể thực hiện thao tác này.",
            from.label()
        ),
    )])
}

/// A change of status and of the schedule, as [`change_status`] records it.
struct StatusChange {
    to: ArticleStatus,
    /// The revision note.
    note: &'static str,
    comment: String,
    /// `Some(x)` sets the column to `x`; `None` leaves it.
    publish_at: Option<Option<OffsetDateTime>>,
    unpublish_at: Option<Option<OffsetDateTime>>,
}

/// Changes `current`'s status in one statement guarded by the version and
/// status read (of two servers doing the same, exactly one passes: the
/// other gets [`StoreError::Conflict`]), then keeps a revision, records the
/// step and, when readers' pages change, notifies the other servers; the
/// caller commits.
async fn change_status<C: ConnectionTrait>(
    txn: &C,
    by: Option<i32>,
    current: &article::Model,
    change: StatusChange,
    now: OffsetDateTime,
) -> Result<Saved, StoreError> {
    let now = utc(now);
    let from = status_of(current)?;
    let to = change.to;
    // A person publishing or scheduling is told of pictures without text;
    // the scheduler publishes what an editor already approved.
    if by.is_some() && matches!(to, ArticleStatus::Published | ArticleStatus::Scheduled) {
        let missing = crate::media::responsive::images_without_alt(&current.body_html);
        if !missing.is_empty() {
            let places: Vec<String> = missing.iter().map(usize::to_string).collect();
            return Err(StoreError::Invalid(vec![FieldError::new(
                "body",
                &format!(
                    "Bài có {} ảnh chưa có mô tả (dành cho người khiếm thị): ảnh thứ {} trong bài. Đặt con trỏ vào chú thích của ảnh, bấm “Mô tả ảnh”, rồi xuất bản lại.",
                    missing.len(),
                    places.join(", ")
                ),
            )]));
        }
    }
    let mut update = article::Entity::update_many()
        .col_expr(article::Column::Status, Expr::value(to.as_str()))
        .col_expr(article::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            article::Column::Version,
            Expr::col(article::Column::Version).add(1),
        )
        .filter(article::Column::Id.eq(current.id))
        .filter(article::Column::Version.eq(current.version))
        .filter(article::Column::Status.eq(from.as_str()));
    if to == ArticleStatus::Published && current.published_at.is_none() {
        update = update.col_expr(article::Column::PublishedAt, Expr::value(Some(now)));
    }
    if let Some(at) = change.publish_at {
        update = update.col_expr(article::Column::PublishAt, Expr::value(at));
    }
    if let Some(at) = change.unpublish_at {
        update = update.col_expr(article::Column::UnpublishAt, Expr::value(at));
    }
    let updated = update.exec(txn).await.map_err(storage)?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict {
            expected: current.version,
            current: current.version + 1,
        });
    }
    let model = load(txn, current.id).await?;
    keep_revision(txn, &model, change.note, by, now).await?;
    article_transition::ActiveModel {
        article_id: Set(current.id),
        from_status: Set(from.as_str().to_owned()),
        to_status: Set(to.as_str().to_owned()),
        user_id: Set(by),
        comment: Set(change.comment.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(storage)?;
    let audited = match (from, to) {
        (_, ArticleStatus::Published) => Some(AuditAction::ArticlePublished),
        (_, ArticleStatus::Unpublished) => Some(AuditAction::ArticleUnpublished),
        (_, ArticleStatus::Scheduled) => Some(AuditAction::ArticleScheduled),
        (ArticleStatus::Scheduled, _) => Some(AuditAction::ArticleScheduleChanged),
        _ => None,
    };
    if let Some(action) = audited {
        let target = format!("Bài #{}: {}", current.id, model.title);
        let detail = if action == AuditAction::ArticleScheduleChanged && change.comment.is_empty() {
            "Hủy lịch xuất bản"
        } else {
            change.comment.as_str()
        };
        let event = crate::audit::Event {
            actor: by,
            action,
            target: &target,
            detail,
            ip: None,
        };
        crate::audit::record(txn, event, now).await?;
    }
    let public_change = from == ArticleStatus::Published || to == ArticleStatus::Published;
    if public_change {
        crate::changes::notify_in(txn).await.map_err(storage)?;
    }
    Ok(Saved {
        id: current.id,
        version: model.version,
        slug: model.slug,
        status: to,
        public_change,
    })
}

/// `at` in UTC. Every moment is stored in UTC: SQLite keeps timestamps as
/// text and compares them as text, so a time kept with its Vietnam offset
/// (`08:00+07:00`) would sort seven hours after the same instant in UTC.
pub fn utc(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(time::UtcOffset::UTC)
}

fn must_be_later(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, message)])
}

/// Schedules article `id` to go public by itself at `at` (editors and
/// admins; from the statuses [`Transition::Publish`] leaves from, so a
/// scheduled article can be rescheduled). `at` must be later than `now` and
/// earlier than a planned takedown. The status becomes
/// [`ArticleStatus::Scheduled`]; the step is recorded like any other.
pub async fn schedule_publication<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: Actor,
    id: i32,
    at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<Saved, StoreError> {
    if actor.role() < Role::Editor {
        return Err(StoreError::Forbidden);
    }
    let (at, now) = (utc(at), utc(now));
    let txn = begin_write(db).await?;
    let current = load(&txn, id).await?;
    let from = status_of(&current)?;
    if !app::model::editorial::may_schedule_from(from) {
        return Err(not_from(from));
    }
    if at <= now {
        return Err(must_be_later(
            "publish_at",
            "Thời điểm xuất bản đã qua. Xin vui lòng chọn một thời điểm sau bây giờ, hoặc bấm “Xuất bản” để xuất bản ngay.",
        ));
    }
    if current.unpublish_at.is_some_and(|down| down <= at) {
        return Err(must_be_later(
            "publish_at",
            "Thời điểm xuất bản phải trước thời điểm tự gỡ bài đã đặt.",
        ));
    }
    let change = StatusChange {
        to: ArticleStatus::Scheduled,
        note: "schedule",
        comment: format!("Xuất bản lúc {}", app::vn_time::format_datetime(at)),
        publish_at: Some(Some(at)),
        unpublish_at: None,
    };
    let saved = change_status(&txn, actor.user_id(), &current, change, now).await?;
    crate::changes::notify_schedule_in(&txn)
        .await
        .map_err(storage)?;
    txn.commit().await.map_err(storage)?;
    Ok(saved)
}

/// Plans (or with `None` cancels) taking article `id` down by itself at
/// `at` (editors and admins; published or scheduled articles). `at` must be
/// later than `now` and than a scheduled publication. The content and the
/// version are untouched, so an editor's open draft is not disturbed.
pub async fn schedule_unpublication<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: Actor,
    id: i32,
    at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<Saved, StoreError> {
    if actor.role() < Role::Editor {
        return Err(StoreError::Forbidden);
    }
    let (at, now) = (at.map(utc), utc(now));
    let txn = begin_write(db).await?;
    let current = load(&txn, id).await?;
    let status = status_of(&current)?;
    if !matches!(status, ArticleStatus::Published | ArticleStatus::Scheduled) {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "unpublish_at",
            "Chỉ đặt lịch gỡ cho bài đã xuất bản hoặc đã lên lịch xuất bản.",
        )]));
    }
    if let Some(at) = at {
        if at <= now {
            return Err(must_be_later(
                "unpublish_at",
                "Thời điểm gỡ bài đã qua. Xin vui lòng chọn một thời điểm sau bây giờ, hoặc bấm “Gỡ xuống” để gỡ ngay.",
            ));
        }
        if current.publish_at.is_some_and(|up| at <= up) {
            return Err(must_be_later(
                "unpublish_at",
                "Thời điểm gỡ bài phải sau thời điểm xuất bản đã đặt.",
            ));
        }
    }
    article::Entity::update_many()
        .col_expr(article::Column::UnpublishAt, Expr::value(at))
        .filter(article::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    let target = format!("Bài #{}: {}", current.id, current.title);
    let detail = match at {
        Some(at) => format!("Tự gỡ lúc {}", app::vn_time::format_datetime(at)),
        None => "Bỏ lịch gỡ bài".to_owned(),
    };
    crate::audit::record(
        &txn,
        crate::audit::Event {
            actor: actor.user_id(),
            action: AuditAction::ArticleScheduleChanged,
            target: &target,
            detail: &detail,
            ip: None,
        },
        now,
    )
    .await?;
    crate::changes::notify_schedule_in(&txn)
        .await
        .map_err(storage)?;
    txn.commit().await.map_err(storage)?;
    Ok(Saved {
        id,
        version: current.version,
        slug: current.slug,
        status,
        public_change: false,
    })
}

/// The articles whose scheduled publication or takedown is due at `now`
/// (`publish_at`/`unpublish_at` ≤ `now`), oldest first, as (id, publish?).
async fn due<C: ConnectionTrait>(
    db: &C,
    now: OffsetDateTime,
) -> Result<Vec<(i32, bool)>, StoreError> {
    let publish: Vec<i32> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::Status.eq(ArticleStatus::Scheduled.as_str()))
        .filter(article::Column::PublishAt.lte(now))
        .order_by_asc(article::Column::PublishAt)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    let unpublish: Vec<i32> = article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::UnpublishAt.lte(now))
        .filter(article::Column::Status.eq(ArticleStatus::Published.as_str()))
        .order_by_asc(article::Column::UnpublishAt)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage)?;
    Ok(publish
        .into_iter()
        .map(|id| (id, true))
        .chain(unpublish.into_iter().map(|id| (id, false)))
        .collect())
}

/// The earliest scheduled publication or takedown still to come, if any
/// (two index lookups; the loop of every server asks often).
pub async fn next_due<C: ConnectionTrait>(db: &C) -> Result<Option<OffsetDateTime>, StoreError> {
    let earliest = |column: article::Column, status: ArticleStatus| {
        article::Entity::find()
            .select_only()
            .column(column)
            .filter(column.is_not_null())
            .filter(article::Column::Status.eq(status.as_str()))
            .order_by_asc(column)
            .into_tuple::<Option<OffsetDateTime>>()
            .one(db)
    };
    let publish = earliest(article::Column::PublishAt, ArticleStatus::Scheduled)
        .await
        .map_err(storage)?
        .flatten();
    let unpublish = earliest(article::Column::UnpublishAt, ArticleStatus::Published)
        .await
        .map_err(storage)?
        .flatten();
    Ok(publish.into_iter().chain(unpublish).min())
}

/// Publishes every scheduled article whose time has come and takes down
/// every published article whose takedown is due, each in its own
/// transaction, recorded as steps by the system (no account). Any number of
/// servers may run this at once: each article changes exactly once (the
/// status-and-version guard of [`change_status`]; the server that loses the
/// race skips it). Returns what this call changed.
pub async fn run_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: OffsetDateTime,
) -> Result<Vec<Saved>, StoreError> {
    let now = utc(now);
    let mut done = Vec::new();
    for (id, publish) in due(db, now).await? {
        let txn = begin_write(db).await?;
        let current = load(&txn, id).await?;
        let status = status_of(&current)?;
        let still_due = if publish {
            status == ArticleStatus::Scheduled && current.publish_at.is_some_and(|at| at <= now)
        } else {
            status == ArticleStatus::Published && current.unpublish_at.is_some_and(|at| at <= now)
        };
        if !still_due {
            continue;
        }
        let change = if publish {
            StatusChange {
                to: ArticleStatus::Published,
                note: "publish",
                comment: "Xuất bản theo lịch".to_owned(),
                publish_at: Some(None),
                unpublish_at: None,
            }
        } else {
            StatusChange {
                to: ArticleStatus::Unpublished,
                note: "unpublish",
                comment: "Gỡ theo lịch".to_owned(),
                publish_at: None,
                unpublish_at: Some(None),
            }
        };
        match change_status(&txn, None, &current, change, now).await {
            Ok(saved) => {
                txn.commit().await.map_err(storage)?;
                done.push(saved);
            }
            // Another server changed it first.
            Err(StoreError::Conflict { .. }) => continue,
            Err(err) => return Err(err),
        }
    }
    Ok(done)
}

/// Deletes article `id` if it is a draft that was never published (a
/// returned or unpublished article, or one waiting for review, stays), with
/// its revisions, workflow records and editing marks, in one transaction.
pub async fn delete_draft<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: Actor,
    id: i32,
) -> Result<(), StoreError> {
    use crate::db::entities::article_editor;
    let txn = begin_write(db).await?;
    let current = load(&txn, id).await?;
    if !may_edit(actor, &current)? {
        return Err(StoreError::Forbidden);
    }
    if status_of(&current)? != ArticleStatus::Draft || current.published_at.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "status",
            "Chỉ xóa được bản nháp chưa từng xuất bản.",
        )]));
    }
    article_revision::Entity::delete_many()
        .filter(article_revision::Column::ArticleId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    article_transition::Entity::delete_many()
        .filter(article_transition::Column::ArticleId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    article_editor::Entity::delete_many()
        .filter(article_editor::Column::ArticleId.eq(id))
        .exec(&txn)
        .await
        .map_err(storage)?;
    article::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(storage)?;
    txn.commit().await.map_err(storage)
}

#[cfg(test)]
mod tests {
    use super::{ArticleDraft, clean};
    use app::ssr::StoreError;

    fn input(title: &str, body: &str) -> ArticleDraft {
        ArticleDraft {
            title: title.to_owned(),
            body_html: body.to_owned(),
            author: "Việt Uyên".to_owned(),
            category_id: 1,
            ..ArticleDraft::default()
        }
    }

    #[test]
    fn tags_are_trimmed_once_each_and_a_cover_needs_its_text() {
        let mut tagged = input("Bài có từ khóa", "<p>x</p>");
        tagged.tags = vec![" PAPI ".into(), "papi".into(), "".into(), "Cần Thơ".into()];
        assert_eq!(clean(tagged).unwrap().tags, ["PAPI", "Cần Thơ"]);
        for (image, alt) in [
            ("/demo/a.svg", ""),
            ("https://elsewhere.example/a.png", "Ảnh"),
            ("javascript:alert(1)", "Ảnh"),
            ("//elsewhere.example/a.png", "Ảnh"),
        ] {
            let mut covered = input("Bài có ảnh", "<p>x</p>");
            covered.cover_image = image.into();
            covered.cover_alt = alt.into();
            assert!(
                matches!(clean(covered), Err(StoreError::Invalid(_))),
                "{image}"
            );
        }
        let mut fine = input("Bài có ảnh", "<p>x</p>");
        fine.cover_image = "/demo/a.svg".into();
        fine.cover_alt = "Toàn cảnh".into();
        assert!(clean(fine).is_ok());
    }

    #[test]
    fn cleaning_normalises_and_sanitises() {
        use unicode_normalization::UnicodeNormalization;
        let title: String = "  Cần Thơ  ".nfd().collect();
        let cleaned = clean(input(
            &title,
            "<p onclick=\"x()\">Một</p><script>alert(1)</script>",
        ))
        .unwrap();
        assert_eq!(cleaned.title, "Cần Thơ");
        assert_eq!(cleaned.body_html, "<p>Một</p>");
    }

    #[test]
    fn every_problem_is_named_by_field() {
        let mut bad = input("", "");
        bad.slug = "!!!".to_owned();
        let Err(StoreError::Invalid(fields)) = clean(bad) else {
            panic!("accepted");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["title", "slug"]);
        let long = input(&"a".repeat(super::MAX_TITLE_CHARS + 1), "");
        assert!(matches!(clean(long), Err(StoreError::Invalid(_))));
    }
}
