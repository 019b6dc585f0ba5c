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

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_round_trip_and_are_ordered() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Author < Role::Editor && Role::Editor < Role::Admin);
    }
}
