//! Citizens' questions ("Hỏi đáp", Decree 42/2022/NĐ-CP art. 7.4: a way for
//! citizens to ask and be answered) and the readers' rating of articles.
//! A question carries personal data (name, e-mail or phone) that editors
//! see and readers never do; a tracking code lets the citizen follow it
//! without an account.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The topics a citizen chooses from.
pub const QUESTION_TOPICS: [&str; 6] = [
    "Thủ tục hành chính",
    "Cải cách hành chính",
    "Dịch vụ công trực tuyến",
    "Tiếp nhận và trả kết quả (một cửa)",
    "Phản ánh, kiến nghị",
    "Khác",
];

/// How many published questions a page of the public list shows.
pub const QUESTIONS_PAGE_SIZE: u64 = 10;

/// The longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 5000;

/// The shortest time, in seconds, between showing the form and receiving it:
/// people take longer to write a question; scripts do not.
pub const MIN_FILL_SECONDS: i64 = 3;

/// How many questions one address may send in a minute.
pub const MAX_PER_MINUTE: u64 = 5;

/// Where a question stands, as its tracking page says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QuestionStatus {
    /// Sent; nobody has taken it up yet.
    #[default]
    Received,
    /// An editor is preparing the answer.
    InProgress,
    Answered,
}

impl QuestionStatus {
    pub const ALL: [QuestionStatus; 3] = [Self::Received, Self::InProgress, Self::Answered];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InProgress => "in_progress",
            Self::Answered => "answered",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == stored)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "Đã nhận",
            Self::InProgress => "Đang xử lý",
            Self::Answered => "Đã trả lời",
        }
    }
}

/// The tracking code's alphabet: Crockford's base 32 (no I, L, O, U), so a
/// code read aloud or copied by hand is not mistaken.
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A tracking code as people type it (`hd 7k3m q9px`, `7K3MQ9PX`,
/// `HD-7K3M-Q9PO`) in its one written form `HD-7K3M-Q9P0`; `None` when it
/// cannot be one (wrong length or letters).
pub fn normalize_code(input: &str) -> Option<String> {
    let mut chars: Vec<char> = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.len() == 10 && chars[0] == 'H' && chars[1] == 'D' {
        chars.drain(..2);
    }
    if chars.len() != 8 {
        return None;
    }
    let mut code = String::from("HD-");
    for (i, c) in chars.into_iter().enumerate() {
        let c = match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !CODE_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        if i == 4 {
            code.push('-');
        }
        code.push(c);
    }
    Some(code)
}

/// A published question and its answer, as readers see it: no name, no
/// contact, nothing the citizen did not agree to publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQuestion {
    pub id: i32,
    pub topic: String,
    /// The editor's short title for it.
    pub title: String,
    /// The question as published (the editor may remove personal details).
    pub question: String,
    pub answer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub asked_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub answered_at: time::OffsetDateTime,
}

impl PublicQuestion {
    /// Its place on the public list: `/hoi-dap#cau-hoi-12`.
    pub fn anchor(&self) -> String {
        format!("cau-hoi-{}", self.id)
    }
}

/// What the tracking page shows for a code: the status and, once
/// answered, the answer; never who asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionTracking {
    pub code: String,
    pub topic: String,
    pub status: QuestionStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub asked_at: time::OffsetDateTime,
    pub answer: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<time::OffsetDateTime>,
    pub published: bool,
}

/// A question as editors handle it, personal data included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorQuestion {
    pub id: i32,
    pub code: String,
    pub name: String,
    /// E-mail address or phone number, as given.
    pub contact: String,
    pub topic: String,
    /// As the citizen wrote it.
    pub question: String,
    /// Whether the citizen agreed to publication.
    pub consent: bool,
    pub status: QuestionStatus,
    /// The editor it is assigned to: `(id, display name)`.
    pub assignee: Option<(i32, String)>,
    pub title: String,
    /// The wording to publish; empty means the citizen's own.
    pub public_question: String,
    pub answer: String,
    pub published: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<time::OffsetDateTime>,
}

/// An editor's work on a question: the answer and how it is published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerInput {
    pub id: i32,
    pub status: QuestionStatus,
    pub title: String,
    pub public_question: String,
    pub answer: String,
    pub published: bool,
}

/// What the public form sends (`POST /hoi-dap/gui`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSubmission {
    pub name: String,
    pub contact: String,
    pub topic: String,
    pub question: String,
    pub consent: bool,
}

/// The form as the server shows it again after a refusal: what was typed,
/// what to fix, and a general message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionFormState {
    pub values: QuestionSubmission,
    pub errors: Vec<FieldError>,
    pub message: String,
}

impl QuestionFormState {
    /// The message for `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }
}

/// The readers' ratings of an article ("Bạn thấy thông tin có hữu ích
/// không?"): counts only, nothing about who rated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingCounts {
    pub helpful: u64,
    pub not_helpful: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_however_they_are_typed() {
        for typed in [
            "HD-7K3M-Q9P0",
            "hd 7k3m q9p0",
            "7K3MQ9P0",
            "HD-7K3M-Q9PO",
            " hd7k3mq9p0 ",
        ] {
            assert_eq!(
                normalize_code(typed).as_deref(),
                Some("HD-7K3M-Q9P0"),
                "{typed}"
            );
        }
        assert_eq!(
            normalize_code("HD-1L1I-0000").as_deref(),
            Some("HD-1111-0000")
        );
        for wrong in [
            "",
            "HD-7K3M",
            "HD-7K3M-Q9P0X",
            "HD-7K3M-Q9PU",
            "HD-7K3M-Q9P!",
        ] {
            assert_eq!(normalize_code(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for status in QuestionStatus::ALL {
            assert_eq!(QuestionStatus::parse(status.as_str()), Some(status));
        }
    }
}
