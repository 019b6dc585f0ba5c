//! Scheduled publication: articles go public (and come down) by themselves
//! at the minute an editor chose, Vietnam time.
//!
//! Every server runs one [`Scheduler`]. It sleeps until the earliest due
//! moment stored in the database, or until the schedule changes (on any
//! server: [`crate::changes::SCHEDULE_CHANNEL`]), or [`POLL_INTERVAL`] at
//! most, then runs [`crate::articles::write::run_due`],
//! whose guarded update changes each article exactly once however many
//! servers wake at that minute. [`crate::build`] runs it once before
//! serving, so what fell due while the portal was down is published at
//! start-up. A publication tells this server's page cache and readers'
//! streams at once; the other servers hear of it by `NOTIFY` at commit.

use std::sync::Arc;
use std::time::Duration;

use app::ssr::StoreError;
use sea_orm::DatabaseConnection;
use time::OffsetDateTime;

use crate::articles::write::{Saved, next_due, run_due};
use crate::changes::PublicChanges;
use crate::counter::clock::Clock;

/// The longest sleep between looks at the schedule, in case a notification
/// was lost with a dropped connection.
pub const POLL_INTERVAL: Duration = Duration::from_secs(20);
/// The shortest sleep, so that a due article another server is still
/// publishing does not spin the loop.
const MIN_WAIT: Duration = Duration::from_millis(100);
/// The wait after a failed run (the database unreachable, say).
const RETRY_AFTER: Duration = Duration::from_secs(2);

pub struct Scheduler {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    changes: Arc<PublicChanges>,
}

impl Scheduler {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, changes: Arc<PublicChanges>) -> Self {
        Self { db, clock, changes }
    }

    /// The portal's time (the test clock in tests), in UTC as every stored
    /// moment is.
    pub fn now(&self) -> OffsetDateTime {
        crate::articles::write::utc(self.clock.now())
    }

    /// Tells the loop that the schedule changed, so it looks again now
    /// (other servers hear of it by `NOTIFY`).
    pub fn wake(&self) {
        self.changes.schedule_changed();
    }

    /// Publishes and takes down whatever is due now; returns what this
    /// server changed.
    pub async fn run_due(&self) -> Result<Vec<Saved>, StoreError> {
        let done = run_due(&self.db, self.now()).await?;
        if done.iter().any(|saved| saved.public_change) {
            self.changes.changed().await;
        }
        for saved in &done {
            tracing::info!(article = saved.id, status = ?saved.status, "scheduled step taken");
        }
        Ok(done)
    }

    /// How long to sleep before the next look.
    async fn wait(&self) -> Duration {
        match next_due(&self.db).await {
            Ok(Some(at)) => {
                let left = at - self.now();
                // A due moment a few milliseconds ahead is not missed: the
                // loop wakes at it, not a poll later.
                Duration::try_from(left)
                    .unwrap_or(Duration::ZERO)
                    .clamp(MIN_WAIT, POLL_INTERVAL)
            }
            Ok(None) => POLL_INTERVAL,
            Err(err) => {
                tracing::warn!("cannot read the schedule: {err}");
                RETRY_AFTER
            }
        }
    }

    /// Runs the loop until the task is aborted.
    pub fn spawn(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let wait = match self.run_due().await {
                    Ok(_) => self.wait().await,
                    Err(err) => {
                        tracing::warn!("scheduled publication failed, retrying: {err}");
                        RETRY_AFTER
                    }
                };
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = self.changes.schedule_notified() => {}
                }
            }
        })
    }
}
