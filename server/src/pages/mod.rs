//! The fixed pages: "Giới thiệu" (`/gioi-thieu`) and the English page
//! (`/en`). Both are seeded when missing ([`seed`]); admins change their
//! title and body, which is sanitised like an article's when written and
//! again on the way out. A save is refused when someone else saved the page
//! since the edit began (its `version`), and it reaches every server's
//! readers at once, like a settings change.

pub mod seed;

use std::sync::Arc;

use app::error::FieldError;
use app::i18n::Lang;
use app::model::accounts::{AuditAction, CurrentUser};
use app::model::pages::{MAX_BODY_BYTES, MAX_TITLE_CHARS, Page, PageInput, SLUGS};
use app::ssr::{Pages, StoreError};
use async_trait::async_trait;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::articles::sanitize::sanitize;
use crate::changes::PublicChanges;
use crate::db::entities::{app_user, page};

/// The longest description (`<meta name=description>`), in characters.
const DESCRIPTION_CHARS: usize = 160;

/// Elements whose ends separate words in the text of a body.
const BLOCKS: [&str; 21] = [
    "p",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "div",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "hr",
    "section",
];

/// The text of `html`: tags dropped (block ends as spaces, inline tags as
/// nothing, so "<strong>Sở</strong>," stays "Sở,"), entities decoded,
/// white space collapsed.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if BLOCKS.contains(&name.as_str()) {
            text.push(' ');
        }
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    app::diff::text_of(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The start of the body's text, cut at a word, for search results and
/// link previews.
pub fn description(body_html: &str) -> String {
    let text = text_of(body_html);
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(DESCRIPTION_CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

fn storage(err: impl std::fmt::Display) -> StoreError {
    StoreError::storage(err)
}

/// The input, checked and tidied: the title trimmed (NFC), the body
/// sanitised; every problem at once, by field.
fn clean(input: &PageInput) -> Result<(String, String), StoreError> {
    let mut problems = Vec::new();
    let title = crate::text::nfc(input.title.trim()).into_owned();
    if title.is_empty() {
        problems.push(FieldError::new("title", "Xin vui lòng nhập tiêu đề trang."));
    } else if title.chars().count() > MAX_TITLE_CHARS {
        problems.push(FieldError::new(
            "title",
            &format!("Tiêu đề dài quá {MAX_TITLE_CHARS} ký tự."),
        ));
    }
    let body = if input.body_html.len() > MAX_BODY_BYTES {
        problems.push(FieldError::new(
            "body_html",
            "Nội dung trang quá dài. Xin vui lòng rút gọn hoặc chia bớt.",
        ));
        String::new()
    } else {
        let body = sanitize(&crate::text::nfc(&input.body_html));
        if text_of(&body).is_empty() {
            problems.push(FieldError::new(
                "body_html",
                "Xin vui lòng nhập nội dung trang.",
            ));
        }
        body
    };
    if problems.is_empty() {
        Ok((title, body))
    } else {
        Err(StoreError::Invalid(problems))
    }
}

/// The SeaORM implementation of [`Pages`].
#[derive(Clone)]
pub struct PageStore {
    db: DatabaseConnection,
    /// Told after every save: the page, and the menus that name it, change.
    changes: Arc<PublicChanges>,
}

impl PageStore {
    pub fn new(db: DatabaseConnection, changes: Arc<PublicChanges>) -> Self {
        Self { db, changes }
    }
}

/// The page as readers see it, with the name of who saved it last.
async fn to_page<C: ConnectionTrait>(db: &C, model: page::Model) -> Result<Page, StoreError> {
    let updated_by = match model.updated_by {
        Some(id) => app_user::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(storage)?
            .map(|user| user.display_name),
        None => None,
    };
    let body_html = sanitize(&model.body_html);
    Ok(Page {
        description: description(&body_html),
        lang: Lang::parse(&model.lang).unwrap_or_default(),
        slug: model.slug,
        title: model.title,
        body_html,
        updated_at: model.updated_at,
        updated_by,
        version: model.version,
    })
}

#[async_trait]
impl Pages for PageStore {
    async fn by_slug(&self, slug: &str) -> Result<Option<Page>, StoreError> {
        let found = page::Entity::find()
            .filter(page::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .map_err(storage)?;
        match found {
            Some(model) => Ok(Some(to_page(&self.db, model).await?)),
            None => Ok(None),
        }
    }

    async fn all(&self) -> Result<Vec<Page>, StoreError> {
        let mut pages = Vec::new();
        for slug in SLUGS {
            if let Some(page) = self.by_slug(slug).await? {
                pages.push(page);
            }
        }
        Ok(pages)
    }

    async fn save(&self, by: &CurrentUser, input: PageInput) -> Result<Page, StoreError> {
        if !SLUGS.contains(&input.slug.as_str()) {
            return Err(StoreError::NotFound);
        }
        let (title, body) = clean(&input)?;
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let model = page::Entity::find()
            .filter(page::Column::Slug.eq(input.slug.as_str()))
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let conflict = |who: Option<String>| {
            let who = who.unwrap_or_else(|| "Một người khác".to_owned());
            StoreError::Invalid(vec![FieldError::new(
                "version",
                &format!(
                    "{who} vừa lưu trang này. Nội dung bạn soạn vẫn còn trong khung soạn thảo; \
                     hãy sao chép phần cần giữ, tải lại trang rồi sửa tiếp."
                ),
            )])
        };
        if model.version != input.base_version {
            return Err(conflict(to_page(&txn, model).await?.updated_by));
        }
        let mut changed = Vec::new();
        if model.title != title {
            changed.push("tiêu đề");
        }
        if model.body_html != body {
            changed.push("nội dung");
        }
        let detail = if changed.is_empty() {
            "Không có thay đổi".to_owned()
        } else {
            format!("Đã đổi: {}", changed.join(", "))
        };
        let target = format!("Trang {}", app::model::pages::page_path(&model.slug));
        let now = time::OffsetDateTime::now_utc();
        // Guarded by the version read: of two saves racing on PostgreSQL
        // (where the read above does not lock), the second changes nothing.
        let updated = page::Entity::update_many()
            .col_expr(page::Column::Title, Expr::value(title))
            .col_expr(page::Column::BodyHtml, Expr::value(body))
            .col_expr(page::Column::Version, Expr::value(model.version + 1))
            .col_expr(page::Column::UpdatedAt, Expr::value(now))
            .col_expr(page::Column::UpdatedBy, Expr::value(Some(by.id)))
            .filter(page::Column::Id.eq(model.id))
            .filter(page::Column::Version.eq(model.version))
            .exec(&txn)
            .await
            .map_err(storage)?;
        if updated.rows_affected != 1 {
            return Err(conflict(None));
        }
        let saved = page::Entity::find_by_id(model.id)
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        crate::audit::record(
            &txn,
            crate::audit::Event {
                actor: Some(by.id),
                action: AuditAction::PageChanged,
                target: &target,
                detail: &detail,
                ip: None,
            },
            now,
        )
        .await?;
        crate::changes::notify_in(&txn).await.map_err(storage)?;
        let page = to_page(&txn, saved).await?;
        txn.commit().await.map_err(storage)?;
        self.changes.changed().await;
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::{clean, description, text_of};
    use app::model::pages::PageInput;
    use app::ssr::StoreError;

    #[test]
    fn text_keeps_words_whole_and_blocks_apart() {
        assert_eq!(
            text_of(
                "<h2>Liên hệ</h2><p>Gọi <strong>Sở</strong>, <a href=\"tel:1\">số 1</a>.</p><ul><li>a</li><li>b</li></ul>"
            ),
            "Liên hệ Gọi Sở, số 1. a b"
        );
    }

    #[test]
    fn descriptions_are_cut_at_a_word() {
        let long = format!("<p>{}</p>", "cải cách hành chính ".repeat(20));
        let cut = description(&long);
        assert!(
            cut.ends_with("chính…") || cut.ends_with("cách…") || cut.ends_with("hành…"),
            "{cut}"
        );
        assert!(cut.chars().count() <= 161);
        assert_eq!(description("<p>Ngắn.</p>"), "Ngắn.");
    }

    #[test]
    fn a_title_and_some_text_are_required_and_scripts_never_kept() {
        let input = PageInput {
            slug: "gioi-thieu".into(),
            base_version: 1,
            title: " ".into(),
            body_html: "<script>alert(1)</script>".into(),
        };
        match clean(&input) {
            Err(StoreError::Invalid(problems)) => {
                let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
                assert_eq!(fields, ["title", "body_html"]);
            }
            other => panic!("accepted: {other:?}"),
        }
        let (title, body) = clean(&PageInput {
            title: " Giới thiệu ".into(),
            body_html: "<p onclick=\"x()\">Chào <img src=x onerror=alert(1)></p>".into(),
            ..input
        })
        .unwrap();
        assert_eq!(title, "Giới thiệu");
        assert!(
            !body.contains("onclick") && !body.contains("onerror"),
            "{body}"
        );
    }
}
