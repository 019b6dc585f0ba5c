//! The one error type of server functions: what went wrong, in terms a
//! reader or an editor can act on. Each kind maps to one HTTP status and one
//! polite Vietnamese message here; the details of a storage failure go to the
//! server's log, never to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one field of a form: the field's name and what to fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: &str) -> Self {
        Self {
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// There is no such thing (or the user may not know it exists).
    #[error("Không tìm thấy nội dung bạn yêu cầu.")]
    NotFound,
    /// Someone else saved first: the save was based on `expected`, the
    /// stored version is now `current`. Nothing was written.
    #[error(
        "Bài viết vừa được người khác lưu. Nội dung của bạn chưa bị mất; hãy xem hai bản và chọn cách gộp."
    )]
    Conflict { expected: i64, current: i64 },
    /// Signed in, but the role does not allow it.
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    /// Not signed in (or the session has ended).
    #[error("Phiên làm việc đã hết hạn. Xin vui lòng đăng nhập lại.")]
    Unauthenticated,
    /// The input has mistakes; each field says what to fix. Nothing was written.
    #[error("Thông tin chưa hợp lệ, xin vui lòng kiểm tra lại.")]
    Invalid { fields: Vec<FieldError> },
    /// Too many attempts; try again after this many seconds.
    #[error("Bạn đã thử quá nhiều lần. Xin vui lòng thử lại sau {retry_after_secs} giây.")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The server could not do it now (database down, …); not the user's fault.
    #[error("Hệ thống đang bận, xin vui lòng thử lại sau ít phút.")]
    Unavailable,
    /// The request did not reach the server function, or its answer did not
    /// come back (network, encoding).
    #[error("Không kết nối được với máy chủ. Xin vui lòng kiểm tra mạng và thử lại.")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Conflict { .. } => 409,
            Self::Forbidden => 403,
            Self::Unauthenticated => 401,
            Self::Invalid { .. } => 422,
            Self::TooManyAttempts { .. } => 429,
            Self::Unavailable => 503,
            Self::Transport(_) => 502,
        }
    }

    /// What to tell the person: each field's message for invalid input,
    /// the error's own message otherwise.
    pub fn explain(self) -> String {
        match self {
            Self::Invalid { fields } => fields
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join(" "),
            err => err.to_string(),
        }
    }

    /// One field's mistake.
    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Invalid {
            fields: vec![FieldError::new(field, message)],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::AppError;

    #[test]
    fn each_kind_has_a_status_and_a_polite_message() {
        for (error, status) in [
            (AppError::NotFound, 404),
            (
                AppError::Conflict {
                    expected: 1,
                    current: 2,
                },
                409,
            ),
            (AppError::Forbidden, 403),
            (AppError::Unauthenticated, 401),
            (AppError::invalid("title", "Nhập tiêu đề."), 422),
            (
                AppError::TooManyAttempts {
                    retry_after_secs: 60,
                },
                429,
            ),
            (AppError::Unavailable, 503),
        ] {
            assert_eq!(error.status(), status);
            let message = error.to_string();
            assert!(message.ends_with('.'), "{message}");
            assert!(!message.contains("Error"), "{message}");
        }
    }
}
