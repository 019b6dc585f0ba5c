//! The server binary's subcommands for operators:
//!
//! ```text
//! server                                   serve the portal
//! server create-admin USERNAME [--name "Full name"]
//! server create-user USERNAME --role author|editor|admin [--name "Full name"]
//! server set-password USERNAME             (ends the user's sessions)
//! server backup FILE.tar.gz                database + media + documents, while serving
//! server restore FILE.tar.gz               into an empty database and empty folders
//! ```
//!
//! Passwords are read from the terminal without echo (asked twice), or, when
//! standard input is not a terminal, as its first line. Never from an
//! argument: arguments end up in shell histories and process lists. There
//! is no default password anywhere.

use std::io::{BufRead, IsTerminal};

use app::model::accounts::Role;

use crate::Config;
use crate::accounts::users;

/// A subcommand and its arguments.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    CreateUser {
        username: String,
        name: String,
        role: Role,
    },
    SetPassword {
        username: String,
    },
    /// Demo accounts with random passwords, only into a database without accounts.
    CreateDemoAccounts,
    /// Benchmark content: this many synthetic published articles.
    SeedSynthetic {
        count: usize,
    },
    /// A backup archive of the database and the media and documents folders.
    Backup {
        file: std::path::PathBuf,
    },
    /// Restores a backup archive into an empty database and empty folders.
    Restore {
        file: std::path::PathBuf,
    },
    Help,
}

const USAGE: &str = "usage:
  server                                   serve the portal
  server create-admin USERNAME [--name \"Full name\"]
  server create-user USERNAME --role author|editor|admin [--name \"Full name\"]
  server set-password USERNAME
  server create-demo-accounts              (only when there are no accounts yet)
  server seed-synthetic COUNT              COUNT synthetic articles, for benchmarks (bench/)
  server backup FILE.tar.gz                back up the database, media and documents (while serving)
  server restore FILE.tar.gz               restore a backup into an empty database and empty folders
The password is read from the terminal, or from the first line of standard input.";

/// Reads the command line (without the program's name).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Command::Serve);
    };
    let mut positional = Vec::new();
    let mut name = None;
    let mut role = None;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--name" => name = Some(rest.next().ok_or("--name needs a value")?.clone()),
            "--role" => {
                let value = rest.next().ok_or("--role needs a value")?;
                role =
                    Some(Role::parse(value).ok_or_else(|| {
                        format!("unknown role {value:?}: author, editor or admin")
                    })?);
            }
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => positional.push(other.to_owned()),
        }
    }
    let username = || match positional.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("{command} takes one USERNAME")),
    };
    match command.as_str() {
        "create-admin" => Ok(Command::CreateUser {
            username: username()?,
            name: name.unwrap_or_default(),
            role: Role::Admin,
        }),
        "create-user" => Ok(Command::CreateUser {
            username: username()?,
            name: name.unwrap_or_default(),
            role: role.ok_or("create-user needs --role author|editor|admin")?,
        }),
        "set-password" => Ok(Command::SetPassword {
            username: username()?,
        }),
        "create-demo-accounts" => Ok(Command::CreateDemoAccounts),
        "seed-synthetic" => match positional.as_slice() {
            [count] => Ok(Command::SeedSynthetic {
                count: count
                    .parse()
                    .map_err(|_| format!("seed-synthetic takes a number, not {count:?}"))?,
            }),
            _ => Err("seed-synthetic takes one COUNT".to_owned()),
        },
        "backup" | "restore" => match positional.as_slice() {
            [file] => Ok(if command == "backup" {
                Command::Backup { file: file.into() }
            } else {
                Command::Restore { file: file.into() }
            }),
            _ => Err(format!("{command} takes one FILE")),
        },
        "help" | "--help" | "-h" => Ok(Command::Help),
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    }
}

pub fn usage() -> &'static str {
    USAGE
}

/// The new password: asked twice on a terminal, else the first line of
/// standard input.
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mật khẩu mới: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Nhập lại mật khẩu: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the two passwords differ".to_owned());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// Sixteen characters from an alphabet without look-alikes (no 0/O, 1/l/I).
fn random_password() -> Result<String, String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

fn explain(err: app::ssr::StoreError) -> String {
    match err {
        app::ssr::StoreError::Invalid(fields) => fields
            .into_iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        app::ssr::StoreError::NotFound => "no such user".to_owned(),
        other => other.to_string(),
    }
}

/// Runs an account subcommand against the configured database.
pub async fn run(command: Command, config: &Config) -> Result<String, String> {
    let db = crate::db::connect(&config.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    // Neither migrates nor seeds: a backup reads the database as it is, a
    // restore needs it empty.
    if let Command::Backup { file } | Command::Restore { file } = &command {
        return backup_or_restore(&command, file, &db, config).await;
    }
    crate::db::prepare(&db, config.seed_demo)
        .await
        .map_err(|e| format!("database: {e}"))?;
    match command {
        Command::CreateUser {
            username,
            name,
            role,
        } => {
            let password = read_password()?;
            let id = users::create_user(&db, &username, &name, &password, role)
                .await
                .map_err(explain)?;
            Ok(format!(
                "created user {} (id {id}) with the role {}",
                users::normalise_username(&username),
                role.as_str()
            ))
        }
        Command::SeedSynthetic { count } => {
            let started = std::time::Instant::now();
            crate::db::synthetic::write_articles(&db, count)
                .await
                .map_err(explain)?;
            Ok(format!(
                "wrote {count} synthetic articles in {:.1} s",
                started.elapsed().as_secs_f64()
            ))
        }
        Command::SetPassword { username } => {
            let account = users::find_by_username(&db, &username)
                .await
                .map_err(explain)?
                .ok_or("no such user")?;
            let password = read_password()?;
            users::set_password(&db, account.user.id, &password, None)
                .await
                .map_err(explain)?;
            Ok(format!(
                "password changed for {}; their sessions have ended",
                account.user.username
            ))
        }
        Command::CreateDemoAccounts => {
            if users::count(&db).await.map_err(explain)? > 0 {
                return Ok(String::new());
            }
            let mut lines =
                vec!["# Demo accounts of this portal (user name, role, password).".to_owned()];
            for (username, name, role) in [
                ("quantri", "Quản trị viên", Role::Admin),
                ("bientap", "Biên tập viên", Role::Editor),
                ("tacgia", "Tác giả", Role::Author),
            ] {
                let password = random_password()?;
                users::create_user(&db, username, name, &password, role)
                    .await
                    .map_err(explain)?;
                lines.push(format!("{username}\t{}\t{password}", role.as_str()));
            }
            Ok(lines.join("\n"))
        }
        // Handled above, before the database is prepared.
        Command::Backup { .. } | Command::Restore { .. } => Ok(String::new()),
        Command::Serve | Command::Help => Ok(USAGE.to_owned()),
    }
}

async fn backup_or_restore(
    command: &Command,
    file: &std::path::Path,
    db: &sea_orm::DatabaseConnection,
    config: &Config,
) -> Result<String, String> {
    let started = std::time::Instant::now();
    let (media, documents) = (&config.media_dir, &config.documents_dir);
    let manifest = if matches!(command, Command::Backup { .. }) {
        crate::backup::backup(db, media, documents, file).await
    } else {
        crate::backup::restore(db, media, documents, file).await
    }
    .map_err(|e| e.to_string())?;
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    let files = manifest
        .files
        .iter()
        .filter(|f| !f.path.starts_with("db/"))
        .count();
    let verb = if matches!(command, Command::Backup { .. }) {
        "backed up into"
    } else {
        "restored from"
    };
    Ok(format!(
        "{rows} rows of {} tables and {files} files {verb} {} in {:.1} s",
        manifest.tables.len(),
        file.display(),
        started.elapsed().as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::{Command, parse};
    use app::model::accounts::Role;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_subcommands() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(
            parse(&args(&["seed-synthetic", "100000"])),
            Ok(Command::SeedSynthetic { count: 100_000 })
        );
        assert!(parse(&args(&["seed-synthetic", "nhiều"])).is_err());
        assert!(parse(&args(&["seed-synthetic"])).is_err());
        assert_eq!(
            parse(&args(&["create-admin", "quantri", "--name", "Quản trị"])),
            Ok(Command::CreateUser {
                username: "quantri".into(),
                name: "Quản trị".into(),
                role: Role::Admin
            })
        );
        assert_eq!(
            parse(&args(&["create-user", "btv", "--role", "editor"])),
            Ok(Command::CreateUser {
                username: "btv".into(),
                name: String::new(),
                role: Role::Editor
            })
        );
        assert!(parse(&args(&["create-user", "btv"])).is_err());
        assert!(parse(&args(&["create-admin"])).is_err());
        assert!(parse(&args(&["create-admin", "a", "--password", "x"])).is_err());
        assert!(parse(&args(&["drop-database"])).is_err());
        assert_eq!(
            parse(&args(&["backup", "cchc.tar.gz"])),
            Ok(Command::Backup {
                file: "cchc.tar.gz".into()
            })
        );
        assert_eq!(
            parse(&args(&["restore", "cchc.tar.gz"])),
            Ok(Command::Restore {
                file: "cchc.tar.gz".into()
            })
        );
        assert!(parse(&args(&["backup"])).is_err());
    }
}
