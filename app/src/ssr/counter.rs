//! The visitor counter's numbers.

use async_trait::async_trait;

use super::StoreError;
use crate::model::VisitorStats;

#[async_trait]
pub trait StatsSource: Send + Sync + 'static {
    async fn visitor_stats(&self) -> Result<VisitorStats, StoreError>;
}
