//! Accounts and roles of the editors' side.

use serde::{Deserialize, Serialize};

/// What a signed-in person may do. Each role can do everything the one
/// before it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Tác giả: writes articles and submits them for review; edits only
    /// their own articles while they are drafts or returned.
    Author,
    /// Biên tập viên: reviews, returns, publishes and unpublishes, and edits
    /// anyone's articles.
    Editor,
    /// Quản trị: also manages users and site settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Author, Role::Editor, Role::Admin];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Author => "author",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == stored)
    }

    /// The role's name as the office says it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Author => "Tác giả",
            Self::Editor => "Biên tập viên",
            Self::Admin => "Quản trị",
        }
    }
}

/// The signed-in person, as the editors' app shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// A line of the admins' user list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A deactivated account cannot sign in; its sessions have ended.
    pub active: bool,
    /// Invited and has not yet set a password.
    pub invited: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
}

/// What an admin asks for when inviting someone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
}

/// A one-time link that sets a password (an invitation or a reset): shown
/// once to the admin, who hands it to the person; only its hash is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLink {
    pub user_id: i32,
    /// An absolute address: `{public_url}/dat-mat-khau?ma=…`.
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: time::OffsetDateTime,
}

/// What an audit entry records, with the office's word for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    Login,
    LoginFailed,
    UserInvited,
    RoleChanged,
    UserDeactivated,
    UserActivated,
    PasswordResetIssued,
    PasswordSet,
    ArticlePublished,
    ArticleUnpublished,
    ArticleScheduled,
    /// A schedule cancelled, or a takedown planned or cancelled.
    ArticleScheduleChanged,
    SettingsChanged,
    /// A legal document created or changed (its details or files).
    DocumentSaved,
    DocumentPublished,
    DocumentUnpublished,
    DocumentDeleted,
    /// A citizen's question assigned, answered, published or removed.
    QuestionHandled,
    /// A fixed page (`/gioi-thieu`, `/en`) changed.
    PageChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 19] = [
        Self::Login,
        Self::LoginFailed,
        Self::UserInvited,
        Self::RoleChanged,
        Self::UserDeactivated,
        Self::UserActivated,
        Self::PasswordResetIssued,
        Self::PasswordSet,
        Self::ArticlePublished,
        Self::ArticleUnpublished,
        Self::ArticleScheduled,
        Self::ArticleScheduleChanged,
        Self::SettingsChanged,
        Self::DocumentSaved,
        Self::DocumentPublished,
        Self::DocumentUnpublished,
        Self::DocumentDeleted,
        Self::QuestionHandled,
        Self::PageChanged,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::LoginFailed => "login_failed",
            Self::UserInvited => "user_invited",
            Self::RoleChanged => "role_changed",
            Self::UserDeactivated => "user_deactivated",
            Self::UserActivated => "user_activated",
            Self::PasswordResetIssued => "password_reset_issued",
            Self::PasswordSet => "password_set",
            Self::ArticlePublished => "article_published",
            Self::ArticleUnpublished => "article_unpublished",
            Self::ArticleScheduled => "article_scheduled",
            Self::ArticleScheduleChanged => "article_schedule_changed",
            Self::SettingsChanged => "settings_changed",
            Self::DocumentSaved => "document_saved",
            Self::DocumentPublished => "document_published",
            Self::DocumentUnpublished => "document_unpublished",
            Self::DocumentDeleted => "document_deleted",
            Self::QuestionHandled => "question_handled",
            Self::PageChanged => "page_changed",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == stored)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Login => "Đăng nhập",
            Self::LoginFailed => "Đăng nhập sai",
            Self::UserInvited => "Mời người dùng",
            Self::RoleChanged => "Đổi vai trò",
            Self::UserDeactivated => "Khóa tài khoản",
            Self::UserActivated => "Mở lại tài khoản",
            Self::PasswordResetIssued => "Cấp liên kết đặt lại mật khẩu",
            Self::PasswordSet => "Đặt mật khẩu",
            Self::ArticlePublished => "Xuất bản bài",
            Self::ArticleUnpublished => "Gỡ bài",
            Self::ArticleScheduled => "Lên lịch xuất bản",
            Self::ArticleScheduleChanged => "Đổi lịch bài",
            Self::SettingsChanged => "Đổi cấu hình trang",
            Self::DocumentSaved => "Lưu văn bản",
            Self::DocumentPublished => "Công bố văn bản",
            Self::DocumentUnpublished => "Ngừng công bố văn bản",
            Self::DocumentDeleted => "Xóa văn bản",
            Self::QuestionHandled => "Xử lý câu hỏi",
            Self::PageChanged => "Sửa trang giới thiệu",
        }
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    /// Who acted: a display name, or `None` for the system or an unknown name.
    pub actor: Option<String>,
    pub action: AuditAction,
    pub target: String,
    pub detail: String,
    /// The client's address, shortened (IPv4 /24, IPv6 /48).
    pub ip: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::{AuditAction, Role};

    #[test]
    fn audit_actions_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }

    #[test]
    fn roles_round_trip_and_are_ordered() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Author < Role::Editor && Role::Editor < Role::Admin);
    }
}
