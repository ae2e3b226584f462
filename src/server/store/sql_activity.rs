//! The operator's record in SQL (both dialects, one set of statements): one row per code
//! sent, updated by its delivery reports and its verification, and one per provider
//! failure. Totals and timelines are computed by the database, so every instance shows
//! the same numbers.

use super::{
    activity::{ActivityStore, CountryTotals, ProviderFailure, SendRecord, Slot},
    sql::{column, count, SqlStore},
    statement::Statement,
    CodeId, StoreError,
};
use crate::{
    delivery_status::DeliveryStatus,
    server::domain::{clock::Millis, cost::Cost},
};
use async_trait::async_trait;

/// A cost as its two columns.
fn columns_of(cost: Option<Cost>) -> (Option<i64>, Option<String>) {
    cost.map_or((None, None), |Cost { micros, currency }| {
        (Some(micros), Some(currency))
    })
}

#[async_trait]
impl ActivityStore for SqlStore {
    async fn record_send(&self, send: SendRecord) -> Result<(), StoreError> {
        let (cost, currency) = columns_of(send.cost);
        self.write(
            Statement::new(
                "INSERT INTO sends (code_id, message_id, country, sent_at, cost_micros, currency) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code_id) DO NOTHING",
            )
            .bind(send.code.0)
            .bind(send.message_id)
            .bind(send.country)
            .bind(send.sent_at)
            .bind(cost)
            .bind(currency),
        )
        .await?;
        Ok(())
    }

    async fn record_verified(&self, code: CodeId, at: Millis) -> Result<(), StoreError> {
        self.write(
            Statement::new(
                "UPDATE sends SET verified_at = $1 WHERE code_id = $2 AND verified_at IS NULL",
            )
            .bind(at)
            .bind(code.0),
        )
        .await?;
        Ok(())
    }

    async fn record_report(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        cost: Option<Cost>,
    ) -> Result<(), StoreError> {
        let (cost, currency) = columns_of(cost);
        self.write(
            Statement::new(
                "UPDATE sends SET \
             delivery_status = CASE WHEN delivery_rank < $2 THEN $1 ELSE delivery_status END, \
             delivery_rank = CASE WHEN delivery_rank < $2 THEN $2 ELSE delivery_rank END, \
             cost_micros = COALESCE($3, cost_micros), currency = COALESCE($4, currency) \
             WHERE message_id = $5",
            )
            .bind(status.as_str())
            .bind(status.rank())
            .bind(cost)
            .bind(currency)
            .bind(message_id.to_string()),
        )
        .await?;
        Ok(())
    }

    async fn record_failure(&self, failure: ProviderFailure) -> Result<(), StoreError> {
        self.write(
            Statement::new(
                "INSERT INTO provider_failures (at, status, code, reason, phone) \
             VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(failure.at)
            .bind(i64::from(failure.status))
            .bind(failure.code)
            .bind(failure.reason)
            .bind(failure.phone),
        )
        .await?;
        Ok(())
    }

    async fn totals(&self, from: Millis) -> Result<Vec<CountryTotals>, StoreError> {
        let failed = DeliveryStatus::ALL
            .iter()
            .filter(|status| status.is_failure())
            .map(|status| format!("'{}'", status.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT country, COUNT(*) AS sent, \
             COUNT(CASE WHEN delivery_status = 'delivered' THEN 1 END) AS delivered, \
             COUNT(CASE WHEN delivery_status IN ({failed}) THEN 1 END) AS failed, \
             COUNT(verified_at) AS verified, \
             CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) AS cost_micros, \
             MAX(currency) AS currency \
             FROM sends WHERE sent_at >= $1 GROUP BY country ORDER BY sent DESC, country"
        ))
        .bind(from)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        rows.iter()
            .map(|row| {
                Ok(CountryTotals {
                    country: column(row, "country")?,
                    sent: count(column(row, "sent")?),
                    delivered: count(column(row, "delivered")?),
                    failed: count(column(row, "failed")?),
                    verified: count(column(row, "verified")?),
                    cost_micros: column(row, "cost_micros")?,
                    currency: column(row, "currency")?,
                })
            })
            .collect()
    }

    async fn timeline(
        &self,
        from: Millis,
        width: Millis,
        slots: usize,
    ) -> Result<Vec<Slot>, StoreError> {
        let rows = sqlx::query(
            "SELECT (sent_at - $1) / $2 AS slot, COUNT(*) AS sent, COUNT(verified_at) AS verified \
             FROM sends WHERE sent_at >= $1 GROUP BY (sent_at - $1) / $2",
        )
        .bind(from)
        .bind(width.max(1))
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        let mut timeline = vec![Slot::default(); slots];
        for row in &rows {
            let index: i64 = column(row, "slot")?;
            if let Some(slot) = usize::try_from(index)
                .ok()
                .and_then(|i| timeline.get_mut(i))
            {
                slot.sent = count(column(row, "sent")?);
                slot.verified = count(column(row, "verified")?);
            }
        }
        Ok(timeline)
    }

    async fn failures(&self, limit: usize) -> Result<Vec<ProviderFailure>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, status, code, reason, phone FROM provider_failures \
             ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        rows.iter()
            .map(|row| {
                Ok(ProviderFailure {
                    at: column(row, "at")?,
                    status: u16::try_from(column::<i64>(row, "status")?).unwrap_or(0),
                    code: column(row, "code")?,
                    reason: column(row, "reason")?,
                    phone: column(row, "phone")?,
                })
            })
            .collect()
    }

    async fn purge_activity(&self, before: Millis) -> Result<u64, StoreError> {
        self.delete_each(&[
            ("DELETE FROM sends WHERE sent_at < $1", before),
            ("DELETE FROM provider_failures WHERE at < $1", before),
        ])
        .await
    }
}
