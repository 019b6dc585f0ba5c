//! Citizens' questions ("Hỏi đáp") and readers' ratings of articles.
//!
//! A question arrives by a plain form post ([`http`]), so it works without
//! JavaScript. Three guards keep scripts out without a third-party service:
//! a field people never see (a script fills it), a signed time token (the
//! form cannot be sent within [`MIN_FILL_SECONDS`] of being shown, nor
//! replayed after a day) and at most [`MAX_PER_MINUTE`] questions a minute
//! from one network (counted in the database, so it holds across servers).
//!
//! The citizen gets a tracking code of 8 characters of Crockford's base 32
//! from the operating system's random generator (40 bits: codes cannot be
//! guessed or walked through) and follows the question with it at
//! `/hoi-dap/tra-cuu`. The name and contact are shown to editors only; a
//! question is published only with the citizen's consent, under the
//! editor's title and wording.

pub mod http;

use std::net::IpAddr;
use std::sync::Arc;

use app::error::FieldError;
use app::model::Paged;
use app::model::accounts::{AuditAction, CurrentUser, Role};
use app::model::questions::{
    AnswerInput, CODE_ALPHABET, EditorQuestion, MAX_PER_MINUTE, MAX_QUESTION_CHARS,
    MIN_FILL_SECONDS, PublicQuestion, QUESTION_TOPICS, QuestionStatus, QuestionSubmission,
    QuestionTracking, RatingCounts, normalize_code,
};
use app::ssr::{QuestionDesk, StoreError};
use async_trait::async_trait;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::audit::{self, Event};
use crate::changes::PublicChanges;
use crate::db::entities::{app_user, article, article_rating, question};

/// How long a shown form may be sent, in seconds.
const FORM_LIFETIME_SECONDS: i64 = 24 * 60 * 60;
/// The most questions an editors' list returns.
const EDITOR_LIST_LIMIT: usize = 500;

fn storage(err: impl std::fmt::Display) -> StoreError {
    StoreError::storage(err)
}

fn invalid(field: &str, message: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, message)])
}

/// Why a submission was not taken. Each says what to do.
#[derive(Debug)]
pub enum Refusal {
    /// Fields to fix (nothing was stored).
    Invalid(Vec<FieldError>),
    /// The form was sent too soon after being shown, or its token is old,
    /// forged or missing.
    Form(String),
    /// Too many questions from this network in the last minute.
    TooMany,
    /// The database failed.
    Unavailable,
}

/// A tracking code: `HD-` and 8 random characters, grouped by four.
fn new_code() -> Result<String, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Storage(format!("no randomness: {e}")))?;
    let chars: String = bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(b & 31)] as char)
        .collect();
    Ok(format!("HD-{}-{}", &chars[..4], &chars[4..]))
}

/// Whether `contact` looks like an e-mail address or a Vietnamese phone
/// number (9 to 11 digits, `+84` allowed, spaces, dots and dashes ignored).
fn is_contact(contact: &str) -> bool {
    if let Some((user, domain)) = contact.split_once('@') {
        return !user.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !contact.chars().any(char::is_whitespace);
    }
    let digits: String = contact
        .trim_start_matches('+')
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    digits.chars().all(|c| c.is_ascii_digit()) && (9..=12).contains(&digits.len())
}

fn clean_line(text: &str, max: usize) -> String {
    crate::text::nfc(text.trim())
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect()
}

fn clean_text(text: &str) -> String {
    crate::text::nfc(text.trim().replace("\r\n", "\n").as_str())
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

/// Checks what a citizen typed; every mistake is named at once.
pub fn check_submission(input: &QuestionSubmission) -> Result<QuestionSubmission, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = clean_line(&input.name, 201);
    if name.is_empty() {
        problems.push(FieldError::new("name", "Xin vui lòng nhập họ và tên."));
    } else if name.chars().count() > 200 {
        problems.push(FieldError::new("name", "Họ và tên dài quá 200 ký tự."));
    }
    let contact = clean_line(&input.contact, 201);
    if contact.is_empty() {
        problems.push(FieldError::new(
            "contact",
            "Nhập địa chỉ email hoặc số điện thoại để cơ quan liên hệ khi cần.",
        ));
    } else if !is_contact(&contact) {
        problems.push(FieldError::new(
            "contact",
            "Đây không phải là một địa chỉ email (như ten@example.vn) hay số điện thoại \
             (9 đến 12 chữ số, như 0931 015 119). Xin vui lòng kiểm tra lại.",
        ));
    }
    let topic = clean_line(&input.topic, 100);
    if !QUESTION_TOPICS.contains(&topic.as_str()) {
        problems.push(FieldError::new("topic", "Chọn lĩnh vực của câu hỏi."));
    }
    let question = clean_text(&input.question);
    let length = question.chars().count();
    if length < 10 {
        problems.push(FieldError::new(
            "question",
            "Nội dung câu hỏi cần ít nhất 10 ký tự.",
        ));
    } else if length > MAX_QUESTION_CHARS {
        problems.push(FieldError::new(
            "question",
            &format!(
                "Nội dung câu hỏi dài {length} ký tự; xin vui lòng rút gọn còn tối đa {MAX_QUESTION_CHARS} ký tự."
            ),
        ));
    }
    if problems.is_empty() {
        Ok(QuestionSubmission {
            name,
            contact,
            topic,
            question,
            consent: input.consent,
        })
    } else {
        Err(problems)
    }
}

fn status_of(model: &question::Model) -> QuestionStatus {
    QuestionStatus::parse(&model.status).unwrap_or_default()
}

fn public_of(model: question::Model) -> Option<PublicQuestion> {
    Some(PublicQuestion {
        id: model.id,
        answered_at: model.answered_at?,
        topic: model.topic,
        title: model.title,
        question: if model.public_body.trim().is_empty() {
            model.body
        } else {
            model.public_body
        },
        answer: model.answer,
        asked_at: model.created_at,
    })
}

#[derive(Clone)]
pub struct QuestionStore {
    db: DatabaseConnection,
    changes: Arc<PublicChanges>,
    secret: Arc<str>,
}

impl QuestionStore {
    /// The desk, with the form secret shared by every server (made on
    /// first start).
    pub async fn new(
        db: DatabaseConnection,
        changes: Arc<PublicChanges>,
    ) -> Result<Self, sea_orm::DbErr> {
        let secret = crate::settings::form_secret(&db).await?;
        Ok(Self {
            db,
            changes,
            secret: secret.into(),
        })
    }

    fn signature(&self, shown_at: i64) -> String {
        let digest = Sha256::digest(format!("{}:{shown_at}", self.secret).as_bytes());
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The form token for a form shown at `now`: `{unix seconds}.{signature}`.
    pub fn token_at(&self, now: OffsetDateTime) -> String {
        let shown_at = now.unix_timestamp();
        format!("{shown_at}.{}", self.signature(shown_at))
    }

    /// Checks a form token at `now`: `Err` says what to do.
    fn check_token(&self, token: &str, now: OffsetDateTime) -> Result<(), String> {
        let expired = "Biểu mẫu đã mở quá lâu hoặc không còn hợp lệ. Xin vui lòng kiểm tra \
                       nội dung bên dưới và gửi lại."
            .to_owned();
        let Some((shown_at, signature)) = token.split_once('.') else {
            return Err(expired);
        };
        let Ok(shown_at) = shown_at.parse::<i64>() else {
            return Err(expired);
        };
        if self.signature(shown_at) != signature {
            return Err(expired);
        }
        let age = now.unix_timestamp() - shown_at;
        if age < MIN_FILL_SECONDS {
            return Err(format!(
                "Câu hỏi được gửi quá nhanh sau khi mở trang (dưới {MIN_FILL_SECONDS} giây), \
                 giống như một chương trình tự động. Xin vui lòng kiểm tra nội dung và gửi lại."
            ));
        }
        if age > FORM_LIFETIME_SECONDS {
            return Err(expired);
        }
        Ok(())
    }

    /// Takes a question: checks the guards and the fields, stores it and
    /// returns its tracking code.
    pub async fn submit(
        &self,
        input: &QuestionSubmission,
        token: &str,
        honeypot: &str,
        ip: Option<IpAddr>,
        now: OffsetDateTime,
    ) -> Result<String, Refusal> {
        if !honeypot.trim().is_empty() {
            return Err(Refusal::Form(
                "Không gửi được câu hỏi: ô “Trang web” phải để trống.".to_owned(),
            ));
        }
        let checked = check_submission(input).map_err(Refusal::Invalid)?;
        self.check_token(token, now).map_err(Refusal::Form)?;
        let source = ip.map(audit::shortened).unwrap_or_default();
        let txn = crate::db::begin_write(&self.db)
            .await
            .map_err(|_| Refusal::Unavailable)?;
        let recent = question::Entity::find()
            .filter(question::Column::Source.eq(&source))
            .filter(question::Column::CreatedAt.gt(now - time::Duration::minutes(1)))
            .count(&txn)
            .await
            .map_err(|_| Refusal::Unavailable)?;
        if recent >= MAX_PER_MINUTE {
            return Err(Refusal::TooMany);
        }
        for _ in 0..5 {
            let code = new_code().map_err(|_| Refusal::Unavailable)?;
            let taken = question::Entity::find()
                .filter(question::Column::Code.eq(&code))
                .count(&txn)
                .await
                .map_err(|_| Refusal::Unavailable)?;
            if taken > 0 {
                continue;
            }
            question::ActiveModel {
                code: Set(code.clone()),
                name: Set(checked.name.clone()),
                contact: Set(checked.contact.clone()),
                topic: Set(checked.topic.clone()),
                body: Set(checked.question.clone()),
                consent: Set(checked.consent),
                status: Set(QuestionStatus::Received.as_str().to_owned()),
                assignee_id: Set(None),
                title: Set(String::new()),
                public_body: Set(String::new()),
                answer: Set(String::new()),
                published: Set(false),
                search_text: Set(String::new()),
                source: Set(source.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                answered_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(|err| {
                tracing::error!(%err, "cannot store a question");
                Refusal::Unavailable
            })?;
            txn.commit().await.map_err(|_| Refusal::Unavailable)?;
            return Ok(code);
        }
        Err(Refusal::Unavailable)
    }

    /// Records a reader's rating of the published article `slug`; `false`
    /// when there is no such article.
    pub async fn rate(&self, slug: &str, helpful: bool) -> Result<bool, StoreError> {
        let Some(id) = crate::articles::read::visible(OffsetDateTime::now_utc())
            .filter(article::Column::Slug.eq(slug))
            .select_only()
            .column(article::Column::Id)
            .into_tuple::<i32>()
            .one(&self.db)
            .await
            .map_err(storage)?
        else {
            return Ok(false);
        };
        article_rating::ActiveModel {
            article_id: Set(id),
            helpful: Set(helpful),
            created_at: Set(OffsetDateTime::now_utc()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(storage)?;
        Ok(true)
    }

    async fn editor_view(&self, model: question::Model) -> Result<EditorQuestion, StoreError> {
        let assignee = match model.assignee_id {
            Some(id) => app_user::Entity::find_by_id(id)
                .one(&self.db)
                .await
                .map_err(storage)?
                .map(|u| (u.id, u.display_name)),
            None => None,
        };
        Ok(editor_view_with(model, assignee))
    }
}

/// A question as editors see it, with its assignee's `(id, name)`.
fn editor_view_with(model: question::Model, assignee: Option<(i32, String)>) -> EditorQuestion {
    EditorQuestion {
        status: status_of(&model),
        id: model.id,
        code: model.code,
        name: model.name,
        contact: model.contact,
        topic: model.topic,
        question: model.body,
        consent: model.consent,
        assignee,
        title: model.title,
        public_question: model.public_body,
        answer: model.answer,
        published: model.published,
        created_at: model.created_at,
        answered_at: model.answered_at,
    }
}

impl QuestionStore {
    async fn find(&self, id: i32) -> Result<question::Model, StoreError> {
        question::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)
    }

    /// Audit line, notification, commit, and the page cache dropped when
    /// readers' content changed.
    async fn finish(
        &self,
        txn: sea_orm::DatabaseTransaction,
        by: &CurrentUser,
        target: &str,
        detail: &str,
        public: bool,
    ) -> Result<(), StoreError> {
        let event = Event {
            actor: Some(by.id),
            action: AuditAction::QuestionHandled,
            target,
            detail,
            ip: None,
        };
        crate::changes::commit_with_audit(txn, event, public, Some(&self.changes)).await
    }
}

fn require_editor(by: &CurrentUser) -> Result<(), StoreError> {
    if by.role < Role::Editor {
        Err(StoreError::Forbidden)
    } else {
        Ok(())
    }
}

#[async_trait]
impl QuestionDesk for QuestionStore {
    async fn published(
        &self,
        q: &str,
        topic: &str,
        page: u64,
        per_page: u64,
    ) -> Result<Paged<PublicQuestion>, StoreError> {
        let mut condition = Condition::all()
            .add(question::Column::Published.eq(true))
            .add(question::Column::AnsweredAt.is_not_null());
        for word in crate::search::tokens(q) {
            condition = condition.add(question::Column::SearchText.like(format!("% {word}%")));
        }
        let topic = crate::text::nfc(topic.trim()).into_owned();
        if !topic.is_empty() {
            condition = condition.add(question::Column::Topic.eq(topic));
        }
        let select = question::Entity::find().filter(condition);
        let total = select.clone().count(&self.db).await.map_err(storage)?;
        let page = app::model::clamp_page(page);
        let rows = select
            .order_by_desc(question::Column::AnsweredAt)
            .order_by_desc(question::Column::Id)
            .offset((page - 1).saturating_mul(per_page))
            .limit(per_page)
            .all(&self.db)
            .await
            .map_err(storage)?;
        Ok(Paged {
            items: rows.into_iter().filter_map(public_of).collect(),
            page,
            per_page,
            total,
        })
    }

    async fn track(&self, code: &str) -> Result<Option<QuestionTracking>, StoreError> {
        let Some(code) = normalize_code(code) else {
            return Ok(None);
        };
        let Some(model) = question::Entity::find()
            .filter(question::Column::Code.eq(&code))
            .one(&self.db)
            .await
            .map_err(storage)?
        else {
            return Ok(None);
        };
        let status = status_of(&model);
        Ok(Some(QuestionTracking {
            code: model.code,
            topic: model.topic,
            status,
            asked_at: model.created_at,
            answer: (status == QuestionStatus::Answered).then_some(model.answer),
            answered_at: model.answered_at,
            published: model.published,
        }))
    }

    fn form_token(&self) -> String {
        self.token_at(OffsetDateTime::now_utc())
    }

    async fn list_for_editors(
        &self,
        status: Option<QuestionStatus>,
        q: String,
    ) -> Result<Vec<EditorQuestion>, StoreError> {
        let mut select = question::Entity::find()
            .order_by_desc(question::Column::Id)
            .limit(5_000);
        if let Some(status) = status {
            select = select.filter(question::Column::Status.eq(status.as_str()));
        }
        let rows = select.all(&self.db).await.map_err(storage)?;
        // Every assignee's name in one query, not one per question.
        let names: std::collections::HashMap<i32, String> = app_user::Entity::find()
            .all(&self.db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        let words = crate::search::tokens(&q);
        let mut out = Vec::new();
        for model in rows {
            if !words.is_empty() {
                let text = crate::search::fold(&format!(
                    "{} {} {} {} {}",
                    model.code, model.name, model.contact, model.body, model.title
                ));
                if !words.iter().all(|w| text.contains(w.as_str())) {
                    continue;
                }
            }
            let assignee = model
                .assignee_id
                .and_then(|id| names.get(&id).map(|name| (id, name.clone())));
            out.push(editor_view_with(model, assignee));
            if out.len() == EDITOR_LIST_LIMIT {
                break;
            }
        }
        Ok(out)
    }

    async fn get(&self, id: i32) -> Result<EditorQuestion, StoreError> {
        let model = self.find(id).await?;
        self.editor_view(model).await
    }

    async fn assignees(&self) -> Result<Vec<(i32, String)>, StoreError> {
        Ok(app_user::Entity::find()
            .filter(app_user::Column::Active.eq(true))
            .filter(app_user::Column::Role.is_in([Role::Editor.as_str(), Role::Admin.as_str()]))
            .order_by_asc(app_user::Column::DisplayName)
            .all(&self.db)
            .await
            .map_err(storage)?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect())
    }

    async fn assign(
        &self,
        by: &CurrentUser,
        id: i32,
        to: Option<i32>,
    ) -> Result<EditorQuestion, StoreError> {
        require_editor(by)?;
        if let Some(to) = to
            && !self.assignees().await?.iter().any(|(uid, _)| *uid == to)
        {
            return Err(invalid(
                "assignee",
                "Chỉ giao câu hỏi cho biên tập viên hoặc quản trị viên đang hoạt động.",
            ));
        }
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let model = question::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let code = model.code.clone();
        let received = status_of(&model) == QuestionStatus::Received;
        let mut active = model.into_active_model();
        active.assignee_id = Set(to);
        if to.is_some() && received {
            active.status = Set(QuestionStatus::InProgress.as_str().to_owned());
        }
        active.updated_at = Set(OffsetDateTime::now_utc());
        let saved = active.update(&txn).await.map_err(storage)?;
        let detail = match to {
            Some(to) => format!("Giao cho người dùng #{to}"),
            None => "Bỏ giao".to_owned(),
        };
        self.finish(txn, by, &code, &detail, false).await?;
        self.editor_view(saved).await
    }

    async fn answer(
        &self,
        by: &CurrentUser,
        input: AnswerInput,
    ) -> Result<EditorQuestion, StoreError> {
        require_editor(by)?;
        let title = clean_line(&input.title, 301);
        let public_question = clean_text(&input.public_question);
        let answer = clean_text(&input.answer);
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let model = question::Entity::find_by_id(input.id)
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        let mut problems = Vec::new();
        if title.chars().count() > 300 {
            problems.push(FieldError::new("title", "Tiêu đề dài quá 300 ký tự."));
        }
        if answer.chars().count() > 20_000 {
            problems.push(FieldError::new(
                "answer",
                "Câu trả lời dài quá 20.000 ký tự.",
            ));
        }
        if input.status == QuestionStatus::Answered && answer.is_empty() {
            problems.push(FieldError::new(
                "answer",
                "Nhập câu trả lời trước khi đánh dấu “Đã trả lời”.",
            ));
        }
        if input.published {
            if input.status != QuestionStatus::Answered {
                problems.push(FieldError::new(
                    "published",
                    "Chỉ công bố câu hỏi đã được trả lời.",
                ));
            }
            if !model.consent {
                problems.push(FieldError::new(
                    "published",
                    "Người hỏi không đồng ý công bố câu hỏi này; chỉ trả lời riêng qua mã tra cứu.",
                ));
            }
            if title.is_empty() {
                problems.push(FieldError::new(
                    "title",
                    "Nhập tiêu đề ngắn để công bố câu hỏi.",
                ));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let was_public = model.published;
        let code = model.code.clone();
        let now = OffsetDateTime::now_utc();
        let answered_at = match (input.status, model.answered_at) {
            (QuestionStatus::Answered, Some(at)) => Some(at),
            (QuestionStatus::Answered, None) => Some(now),
            _ => None,
        };
        let shown_question = if public_question.is_empty() {
            model.body.clone()
        } else {
            public_question.clone()
        };
        let search = format!(
            " {}",
            crate::search::fold(&format!("{title} {shown_question} {answer}"))
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut active = model.into_active_model();
        active.status = Set(input.status.as_str().to_owned());
        active.title = Set(title);
        active.public_body = Set(public_question);
        active.answer = Set(answer);
        active.published = Set(input.published);
        active.search_text = Set(search);
        active.answered_at = Set(answered_at);
        active.updated_at = Set(now);
        let saved = active.update(&txn).await.map_err(storage)?;
        let detail = format!(
            "{}{}",
            input.status.label(),
            if input.published { ", công bố" } else { "" }
        );
        self.finish(txn, by, &code, &detail, was_public || input.published)
            .await?;
        self.editor_view(saved).await
    }

    async fn delete(&self, by: &CurrentUser, id: i32) -> Result<(), StoreError> {
        require_editor(by)?;
        let txn = crate::db::begin_write(&self.db).await.map_err(storage)?;
        let model = question::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(StoreError::NotFound)?;
        question::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(storage)?;
        self.finish(txn, by, &model.code, "Xóa câu hỏi", model.published)
            .await
    }

    async fn ratings(&self, slug: &str) -> Result<RatingCounts, StoreError> {
        let Some(id) = article::Entity::find()
            .filter(article::Column::Slug.eq(slug))
            .select_only()
            .column(article::Column::Id)
            .into_tuple::<i32>()
            .one(&self.db)
            .await
            .map_err(storage)?
        else {
            return Err(StoreError::NotFound);
        };
        let count = |helpful: bool| {
            article_rating::Entity::find()
                .filter(article_rating::Column::ArticleId.eq(id))
                .filter(article_rating::Column::Helpful.eq(helpful))
                .count(&self.db)
        };
        Ok(RatingCounts {
            helpful: count(true).await.map_err(storage)?,
            not_helpful: count(false).await.map_err(storage)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_and_readable() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2000 {
            let code = new_code().unwrap();
            assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
            assert!(seen.insert(code), "a code came twice in 2,000");
        }
    }

    #[test]
    fn contacts_are_an_email_or_a_phone() {
        for ok in [
            "dan@example.vn",
            "0931.015.119",
            "+84 931 015 119",
            "(0292) 3820715",
        ] {
            assert!(is_contact(ok), "{ok}");
        }
        for wrong in [
            "",
            "abc",
            "a@b",
            "12345",
            "dan @example.vn",
            "09310151191234",
        ] {
            assert!(!is_contact(wrong), "{wrong}");
        }
    }

    #[test]
    fn a_submission_names_every_mistake() {
        let problems = check_submission(&QuestionSubmission {
            name: " ".into(),
            contact: "không có".into(),
            topic: "Thời tiết".into(),
            question: "Ngắn".into(),
            consent: false,
        })
        .unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "contact", "topic", "question"]);
    }
}
