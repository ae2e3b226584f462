//! The operator's record in memory (with `DATABASE_URL=memory:`): one process, kept
//! until restart or until purged like the SQL one.

use super::{
    activity::{ActivityStore, CountryTotals, ProviderFailure, SendRecord, Slot},
    memory::locked,
    CodeId, StoreError,
};
use crate::{
    delivery_status::DeliveryStatus,
    server::domain::{clock::Millis, cost::Cost},
};
use async_trait::async_trait;
use std::{
    collections::{HashMap, VecDeque},
    sync::{Mutex, MutexGuard},
};

/// Provider failures kept in memory (the dashboard shows 20).
const FAILURES_KEPT: usize = 100;

#[derive(Debug)]
struct Send {
    record: SendRecord,
    status: DeliveryStatus,
    verified: bool,
}

#[derive(Debug, Default)]
pub struct MemoryActivity {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    sends: HashMap<CodeId, Send>,
    failures: VecDeque<ProviderFailure>,
}

impl MemoryActivity {
    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        locked(&self.inner)
    }
}

#[async_trait]
impl ActivityStore for MemoryActivity {
    async fn record_send(&self, send: SendRecord) -> Result<(), StoreError> {
        self.lock()?.sends.insert(
            send.code,
            Send {
                record: send,
                status: DeliveryStatus::Queued,
                verified: false,
            },
        );
        Ok(())
    }

    async fn record_verified(&self, code: CodeId, _at: Millis) -> Result<(), StoreError> {
        if let Some(send) = self.lock()?.sends.get_mut(&code) {
            send.verified = true;
        }
        Ok(())
    }

    async fn record_report(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        cost: Option<Cost>,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        let matching = inner
            .sends
            .values_mut()
            .filter(|send| send.record.message_id.as_deref() == Some(message_id));
        for send in matching {
            if status.rank() > send.status.rank() {
                send.status = status;
            }
            if cost.is_some() {
                send.record.cost = cost.clone();
            }
        }
        Ok(())
    }

    async fn record_failure(&self, failure: ProviderFailure) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        inner.failures.push_front(failure);
        inner.failures.truncate(FAILURES_KEPT);
        Ok(())
    }

    async fn totals(&self, from: Millis) -> Result<Vec<CountryTotals>, StoreError> {
        let inner = self.lock()?;
        let mut by_country: HashMap<&str, CountryTotals> = HashMap::new();
        for send in inner.sends.values().filter(|s| s.record.sent_at >= from) {
            let totals = by_country
                .entry(&send.record.country)
                .or_insert_with(|| CountryTotals {
                    country: send.record.country.clone(),
                    ..CountryTotals::default()
                });
            totals.sent += 1;
            totals.delivered += u64::from(send.status == DeliveryStatus::Delivered);
            totals.failed += u64::from(send.status.is_failure());
            totals.verified += u64::from(send.verified);
            if let Some(cost) = &send.record.cost {
                totals.cost_micros += cost.micros;
                totals.currency.get_or_insert_with(|| cost.currency.clone());
            }
        }
        let mut totals: Vec<_> = by_country.into_values().collect();
        totals.sort_by(|a, b| b.sent.cmp(&a.sent).then(a.country.cmp(&b.country)));
        Ok(totals)
    }

    async fn timeline(
        &self,
        from: Millis,
        width: Millis,
        slots: usize,
    ) -> Result<Vec<Slot>, StoreError> {
        let inner = self.lock()?;
        let mut timeline = vec![Slot::default(); slots];
        for send in inner.sends.values().filter(|s| s.record.sent_at >= from) {
            let index = ((send.record.sent_at - from) / width.max(1)) as usize;
            if let Some(slot) = timeline.get_mut(index) {
                slot.sent += 1;
                slot.verified += u64::from(send.verified);
            }
        }
        Ok(timeline)
    }

    async fn failures(&self, limit: usize) -> Result<Vec<ProviderFailure>, StoreError> {
        Ok(self.lock()?.failures.iter().take(limit).cloned().collect())
    }

    async fn purge_activity(&self, before: Millis) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let (sends, failures) = (inner.sends.len(), inner.failures.len());
        inner.sends.retain(|_, send| send.record.sent_at >= before);
        inner.failures.retain(|failure| failure.at >= before);
        Ok((sends - inner.sends.len() + failures - inner.failures.len()) as u64)
    }
}
