//! The storage contract, run against every implementation: memory, SQLite, and the
//! PostgreSQL server (a fresh database per test).

use crate::{helpers::*, postgres::fresh_database};
use std::{collections::BTreeSet, sync::Arc};
use telnyx_2fa::{
    channel::Channel,
    delivery_status::DeliveryStatus,
    server::{
        domain::phone::PhoneNumber,
        domain::verification::VerificationId,
        metrics::Metrics,
        store::{self, CodeId, CodeStore, Hit, LimitStore, NewCode, SessionStore, Stores},
    },
};

const NOW: i64 = 1_800_000_000_000;
const TTL: i64 = 600_000;

/// Keeps whatever backs a store alive for the test's duration.
#[allow(dead_code)]
pub enum Guard {
    None,
    Dir(tempfile::TempDir),
    Database(crate::postgres::TestDatabase),
}

pub async fn memory() -> (Stores, Guard) {
    (
        store::open("memory:", 5, Metrics::new()).await.unwrap(),
        Guard::None,
    )
}

pub async fn sqlite() -> (Stores, Guard) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}?mode=rwc", dir.path().join("codes.db").display());
    (
        store::open(&url, 5, Metrics::new()).await.unwrap(),
        Guard::Dir(dir),
    )
}

pub async fn postgres() -> (Stores, Guard) {
    let database = fresh_database().await;
    let store = store::open(&database.url, 10, Metrics::new())
        .await
        .unwrap();
    (store, Guard::Database(database))
}

fn phone(e164: &str) -> PhoneNumber {
    PhoneNumber::from_e164(e164).unwrap()
}

/// The number a store answered with, in E.164.
fn answered(phone: Option<PhoneNumber>) -> Option<String> {
    phone.map(|phone| phone.as_e164().to_string())
}

fn code(verification: &VerificationId, number: &str, digest_byte: u8) -> NewCode {
    NewCode {
        id: CodeId::random(),
        verification: verification.clone(),
        phone: phone(number),
        digest: [digest_byte; 32],
        created_at: NOW,
        expires_at: NOW + TTL,
        message_id: None,
        channel: Channel::Sms,
    }
}

async fn counting_nothing_finds_nothing(store: Arc<dyn CodeStore>) {
    let nobody = VerificationId::generate();
    assert!(store.count_attempt(&nobody).await.unwrap().is_none());
    assert!(store.pending(&nobody).await.unwrap().is_none());
}

async fn attempts_count_up_and_return_the_code(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let id = store.replace(code(&mine, PHONE, 7)).await.unwrap();
    for expected in 1..=3 {
        let attempt = store.count_attempt(&mine).await.unwrap().unwrap();
        assert_eq!(attempt.id, id);
        assert_eq!(attempt.attempts, expected);
        assert_eq!(attempt.digest, [7; 32]);
        assert_eq!(attempt.phone.as_e164(), PHONE);
        assert_eq!((attempt.created_at, attempt.expires_at), (NOW, NOW + TTL));
    }
    assert!(
        store
            .count_attempt(&VerificationId::generate())
            .await
            .unwrap()
            .is_none(),
        "bound to the verification"
    );
}

async fn a_code_is_consumed_once(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let id = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.count_attempt(&mine).await.unwrap().unwrap();
    assert!(store.consume(id, NOW).await.unwrap());
    assert!(!store.consume(id, NOW).await.unwrap());
    assert!(
        store.count_attempt(&mine).await.unwrap().is_none(),
        "used codes are gone"
    );
}

async fn expired_codes_are_not_consumed(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let id = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.count_attempt(&mine).await.unwrap();
    assert!(!store.consume(id, NOW + TTL).await.unwrap());
    assert!(store.consume(id, NOW + TTL - 1).await.unwrap());
}

async fn a_new_code_replaces_the_old_one(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let old = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.count_attempt(&mine).await.unwrap();
    let new = store.replace(code(&mine, PHONE, 2)).await.unwrap();
    assert_ne!(old, new);
    assert!(
        !store.consume(old, NOW).await.unwrap(),
        "the old code is dead"
    );
    let attempt = store.count_attempt(&mine).await.unwrap().unwrap();
    assert_eq!(
        (attempt.id, attempt.digest, attempt.attempts),
        (new, [2; 32], 1)
    );
}

async fn another_requesters_code_for_the_same_number_replaces_nothing(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let theirs = VerificationId::generate();
    let my_code = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    let their_code = store.replace(code(&theirs, PHONE, 2)).await.unwrap();
    let attempt = store.count_attempt(&mine).await.unwrap().unwrap();
    assert_eq!((attempt.id, attempt.digest), (my_code, [1; 32]));
    let attempt = store.count_attempt(&theirs).await.unwrap().unwrap();
    assert_eq!((attempt.id, attempt.digest), (their_code, [2; 32]));
}

async fn a_verification_can_get_a_new_code_after_using_one(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let first = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.count_attempt(&mine).await.unwrap();
    assert!(store.consume(first, NOW).await.unwrap());
    let second = store.replace(code(&mine, PHONE, 2)).await.unwrap();
    let attempt = store.count_attempt(&mine).await.unwrap().unwrap();
    assert_eq!((attempt.id, attempt.digest), (second, [2; 32]));
}

async fn discarded_codes_are_gone(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let id = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.discard(id).await.unwrap();
    assert!(store.count_attempt(&mine).await.unwrap().is_none());
    assert!(!store.consume(id, NOW).await.unwrap());
}

async fn purging_removes_expired_codes_only(store: Arc<dyn CodeStore>) {
    let (soon, later) = (VerificationId::generate(), VerificationId::generate());
    store.replace(code(&soon, PHONE, 1)).await.unwrap();
    let mut long_lived = code(&later, "+12125550199", 2);
    long_lived.expires_at = NOW + 2 * TTL;
    store.replace(long_lived).await.unwrap();
    assert_eq!(store.purge(NOW + TTL).await.unwrap(), 1);
    assert!(store.count_attempt(&soon).await.unwrap().is_none());
    assert!(store.count_attempt(&later).await.unwrap().is_some());
}

async fn concurrent_attempts_each_get_their_own_count(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    store.replace(code(&mine, PHONE, 1)).await.unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            let mine = mine.clone();
            tokio::spawn(async move { store.count_attempt(&mine).await.unwrap().unwrap().attempts })
        })
        .collect();
    let mut counts = BTreeSet::new();
    for task in tasks {
        counts.insert(task.await.unwrap());
    }
    assert_eq!(counts, (1..=50).collect::<BTreeSet<u32>>());
}

async fn concurrent_consumes_have_one_winner(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let id = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.count_attempt(&mine).await.unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.consume(id, NOW).await.unwrap() })
        })
        .collect();
    let mut winners = 0;
    for task in tasks {
        winners += task.await.unwrap() as usize;
    }
    assert_eq!(winners, 1);
}

async fn an_attempt_given_back_is_uncounted(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let id = store.replace(code(&mine, PHONE, 1)).await.unwrap();
    store.count_attempt(&mine).await.unwrap();
    store.count_attempt(&mine).await.unwrap();
    store.give_back_attempt(id).await.unwrap();
    let attempt = store.count_attempt(&mine).await.unwrap().unwrap();
    assert_eq!(attempt.attempts, 2);
    // Never below none.
    let fresh = VerificationId::generate();
    let id = store
        .replace(code(&fresh, "+12125550199", 2))
        .await
        .unwrap();
    store.give_back_attempt(id).await.unwrap();
    assert_eq!(
        store.count_attempt(&fresh).await.unwrap().unwrap().attempts,
        1
    );
}

async fn unknown_ids_change_nothing(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    store.replace(code(&mine, PHONE, 1)).await.unwrap();
    assert!(!store.consume(CodeId(424242), NOW).await.unwrap());
    store.discard(CodeId(424242)).await.unwrap();
    assert!(store.count_attempt(&mine).await.unwrap().is_some());
}

async fn a_counter_counts_per_key_and_window(limits: Arc<dyn LimitStore>) {
    assert_eq!(limits.count("k", NOW).await.unwrap(), 0);
    assert_eq!(limits.hit("k", NOW, NOW + TTL).await.unwrap(), 1);
    assert_eq!(limits.hit("k", NOW, NOW + TTL).await.unwrap(), 2);
    assert_eq!(limits.count("k", NOW).await.unwrap(), 2);
    assert_eq!(
        limits.hit("k", NOW + TTL, NOW + 2 * TTL).await.unwrap(),
        1,
        "next window"
    );
    assert_eq!(
        limits.hit("other", NOW, NOW + TTL).await.unwrap(),
        1,
        "other key"
    );
}

async fn counters_are_hit_together_and_given_back(limits: Arc<dyn LimitStore>) {
    let hit = |key| Hit {
        key,
        window_start: NOW,
        expires_at: NOW + TTL,
    };
    limits.hit("b", NOW, NOW + TTL).await.unwrap();
    let counts = limits
        .hit_all(&[hit("a"), hit("b"), hit("c")])
        .await
        .unwrap();
    assert_eq!(
        counts,
        [1, 2, 1],
        "in the order asked, whatever the store returns"
    );
    assert!(limits.hit_all(&[]).await.unwrap().is_empty());
    limits.release(&[hit("b"), hit("c")]).await.unwrap();
    assert_eq!(limits.count("b", NOW).await.unwrap(), 1);
    assert_eq!(limits.count("c", NOW).await.unwrap(), 0);
    assert_eq!(limits.count("a", NOW).await.unwrap(), 1);
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let limits = limits.clone();
            tokio::spawn(async move {
                limits
                    .hit_all(&[
                        Hit {
                            key: "x",
                            window_start: NOW,
                            expires_at: NOW + TTL,
                        },
                        Hit {
                            key: "y",
                            window_start: NOW,
                            expires_at: NOW + TTL,
                        },
                    ])
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut seen = BTreeSet::new();
    for task in tasks {
        seen.insert(task.await.unwrap()[0]);
    }
    assert_eq!(
        seen,
        (1..=30).collect::<BTreeSet<u64>>(),
        "each its own count"
    );
}

async fn concurrent_hits_each_get_their_own_count(limits: Arc<dyn LimitStore>) {
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let limits = limits.clone();
            tokio::spawn(async move { limits.hit("k", NOW, NOW + TTL).await.unwrap() })
        })
        .collect();
    let mut counts = BTreeSet::new();
    for task in tasks {
        counts.insert(task.await.unwrap());
    }
    assert_eq!(counts, (1..=50).collect::<BTreeSet<u64>>());
}

async fn a_cooldown_runs_until_it_ends_or_is_cleared(limits: Arc<dyn LimitStore>) {
    assert_eq!(
        limits.start_cooldown("c", NOW, NOW + 30_000).await.unwrap(),
        None
    );
    assert_eq!(
        limits.cooldown("c", NOW + 10_000).await.unwrap(),
        Some(NOW + 30_000)
    );
    assert_eq!(
        limits
            .start_cooldown("c", NOW + 10_000, NOW + 40_000)
            .await
            .unwrap(),
        Some(NOW + 30_000)
    );
    assert_eq!(limits.cooldown("c", NOW + 30_000).await.unwrap(), None);
    assert_eq!(
        limits
            .start_cooldown("c", NOW + 30_000, NOW + 60_000)
            .await
            .unwrap(),
        None,
        "ended"
    );
    limits.clear_cooldown("c").await.unwrap();
    assert_eq!(
        limits
            .start_cooldown("c", NOW + 31_000, NOW + 61_000)
            .await
            .unwrap(),
        None,
        "cleared"
    );
}

async fn ended_counters_and_cooldowns_are_purged(limits: Arc<dyn LimitStore>) {
    limits.hit("old", NOW, NOW + TTL).await.unwrap();
    limits.hit("new", NOW + TTL, NOW + 2 * TTL).await.unwrap();
    limits.start_cooldown("c", NOW, NOW + 30_000).await.unwrap();
    assert_eq!(limits.purge_limits(NOW + TTL, 0).await.unwrap(), 2);
    assert_eq!(limits.count("old", NOW).await.unwrap(), 0);
    assert_eq!(limits.count("new", NOW + TTL).await.unwrap(), 1);
}

async fn failures_count_up_lock_and_reset(limits: Arc<dyn LimitStore>) {
    let keep = NOW + 10 * TTL;
    for expected in 1..=3 {
        let failures = limits.count_failure("n", NOW, keep).await.unwrap();
        assert_eq!((failures.count, failures.locked_until), (expected, None));
    }
    limits.lock_failures("n", NOW + TTL).await.unwrap();
    limits.lock_failures("n", NOW + 5 * TTL).await.unwrap();
    let failures = limits.count_failure("n", NOW + 1, keep).await.unwrap();
    assert_eq!(
        failures.locked_until,
        Some(NOW + TTL),
        "the first lock holds"
    );
    let failures = limits.count_failure("n", NOW + TTL, keep).await.unwrap();
    assert_eq!(
        (failures.count, failures.locked_until),
        (1, None),
        "a fresh start after the lockout"
    );
    limits.reset_failures("n").await.unwrap();
    assert_eq!(limits.count_failure("n", NOW, keep).await.unwrap().count, 1);
    assert_eq!(
        limits
            .count_failure("other", NOW, keep)
            .await
            .unwrap()
            .count,
        1
    );
}

async fn concurrent_failures_each_get_their_own_count(limits: Arc<dyn LimitStore>) {
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let limits = limits.clone();
            tokio::spawn(async move {
                limits
                    .count_failure("n", NOW, NOW + TTL)
                    .await
                    .unwrap()
                    .count
            })
        })
        .collect();
    let mut counts = BTreeSet::new();
    for task in tasks {
        counts.insert(task.await.unwrap());
    }
    assert_eq!(counts, (1..=50).collect::<BTreeSet<u64>>());
}

async fn conversions_sum_per_country_and_minute(limits: Arc<dyn LimitStore>) {
    let minute = 60_000;
    for _ in 0..3 {
        limits.record_conversion("US", NOW, false).await.unwrap();
    }
    limits
        .record_conversion("US", NOW + minute, false)
        .await
        .unwrap();
    limits.record_conversion("US", NOW, true).await.unwrap();
    limits.record_conversion("GB", NOW, false).await.unwrap();
    assert_eq!(
        limits
            .conversion("US", NOW, NOW + 2 * minute)
            .await
            .unwrap(),
        (4, 1)
    );
    assert_eq!(
        limits.conversion("US", NOW, NOW + minute).await.unwrap(),
        (3, 1)
    );
    assert_eq!(
        limits.conversion("GB", NOW, NOW + minute).await.unwrap(),
        (1, 0)
    );
    assert_eq!(
        limits.conversion("FR", NOW, NOW + minute).await.unwrap(),
        (0, 0)
    );
    limits.purge_limits(NOW, NOW + minute).await.unwrap();
    assert_eq!(
        limits
            .conversion("US", NOW, NOW + 2 * minute)
            .await
            .unwrap(),
        (1, 0)
    );
}

async fn sessions_live_until_they_expire_or_are_deleted(sessions: Arc<dyn SessionStore>) {
    sessions
        .create_session("h1", &phone(PHONE), NOW - 5, NOW + TTL)
        .await
        .unwrap();
    let live = sessions.session("h1", NOW).await.unwrap().unwrap();
    assert_eq!(live.phone.as_e164(), PHONE);
    assert_eq!(live.started_at, NOW - 5, "when it was verified (auth_time)");
    assert_eq!(sessions.session("h2", NOW).await.unwrap(), None);
    assert_eq!(
        sessions.session("h1", NOW + TTL).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(sessions.purge_sessions(NOW + TTL).await.unwrap(), 1);
    sessions
        .create_session("h3", &phone(PHONE), NOW, NOW + TTL)
        .await
        .unwrap();
    sessions.delete_session("h3").await.unwrap();
    assert_eq!(sessions.session("h3", NOW).await.unwrap(), None, "deleted");
}

async fn a_new_code_starts_with_a_fresh_delivery_status(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    let mut first = code(&mine, PHONE, 1);
    first.message_id = Some("m1".into());
    store.replace(first).await.unwrap();
    assert_eq!(
        answered(
            store
                .record_delivery("m1", DeliveryStatus::DeliveryFailed)
                .await
                .unwrap()
        )
        .as_deref(),
        Some(PHONE)
    );
    let pending = store.pending(&mine).await.unwrap().unwrap();
    assert_eq!(pending.delivery, DeliveryStatus::DeliveryFailed);
    assert_eq!(
        (pending.phone.as_e164(), pending.expires_at),
        (PHONE, NOW + TTL)
    );

    let mut second = code(&mine, PHONE, 2);
    second.message_id = Some("m2".into());
    store.replace(second).await.unwrap();
    assert_eq!(
        store.pending(&mine).await.unwrap().unwrap().delivery,
        DeliveryStatus::Queued
    );
    assert_eq!(
        store
            .record_delivery("m1", DeliveryStatus::Delivered)
            .await
            .unwrap(),
        None,
        "old message"
    );
    assert_eq!(
        answered(
            store
                .record_delivery("m2", DeliveryStatus::Sent)
                .await
                .unwrap()
        )
        .as_deref(),
        Some(PHONE)
    );
    assert_eq!(
        store
            .record_delivery("m2", DeliveryStatus::Sending)
            .await
            .unwrap(),
        None,
        "never backwards"
    );
    assert_eq!(
        store.pending(&mine).await.unwrap().unwrap().delivery,
        DeliveryStatus::Sent
    );
}

async fn a_voice_code_keeps_its_channel_and_follows_its_call(store: Arc<dyn CodeStore>) {
    let mine = VerificationId::generate();
    store.replace(code(&mine, PHONE, 1)).await.unwrap();
    let sms = store.pending(&mine).await.unwrap().unwrap();
    assert_eq!((sms.channel, sms.created_at), (Channel::Sms, NOW));

    let mut call = code(&mine, PHONE, 2);
    call.channel = Channel::Voice;
    call.message_id = Some("v3:call".into());
    store.replace(call).await.unwrap();
    let pending = store.pending(&mine).await.unwrap().unwrap();
    assert_eq!(
        (pending.channel, pending.delivery),
        (Channel::Voice, DeliveryStatus::Calling)
    );
    for (status, moved) in [
        (DeliveryStatus::Answered, true),
        (DeliveryStatus::Calling, false),
        (DeliveryStatus::Completed, true),
        (DeliveryStatus::NoAnswer, false),
    ] {
        let changed = store.record_delivery("v3:call", status).await.unwrap();
        assert_eq!(changed.is_some(), moved, "{status:?}");
    }
    let attempt = store.count_attempt(&mine).await.unwrap().unwrap();
    assert_eq!(attempt.channel, Channel::Voice);
    assert_eq!(
        attempt.digest, [2; 32],
        "the call's code replaced the SMS code"
    );
}

macro_rules! contract {
    ($backend:ident: codes: $($test:ident),* ; limits: $($limit_test:ident),* ; sessions: $($session_test:ident),* $(,)?) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $test() {
                    let (stores, _guard) = super::$backend().await;
                    super::$test(stores.codes).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $limit_test() {
                    let (stores, _guard) = super::$backend().await;
                    super::$limit_test(stores.limits).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $session_test() {
                    let (stores, _guard) = super::$backend().await;
                    super::$session_test(stores.sessions).await;
                }
            )*
        }
    };
}

macro_rules! contract_for_every_store {
    ($($backend:ident),*) => {
        $(
            contract!($backend: codes:
                counting_nothing_finds_nothing,
                attempts_count_up_and_return_the_code,
                a_code_is_consumed_once,
                expired_codes_are_not_consumed,
                a_new_code_replaces_the_old_one,
                a_verification_can_get_a_new_code_after_using_one,
                another_requesters_code_for_the_same_number_replaces_nothing,
                discarded_codes_are_gone,
                purging_removes_expired_codes_only,
                concurrent_attempts_each_get_their_own_count,
                concurrent_consumes_have_one_winner,
                unknown_ids_change_nothing,
                an_attempt_given_back_is_uncounted,
                a_new_code_starts_with_a_fresh_delivery_status,
                a_voice_code_keeps_its_channel_and_follows_its_call;
                limits:
                a_counter_counts_per_key_and_window,
                counters_are_hit_together_and_given_back,
                concurrent_hits_each_get_their_own_count,
                a_cooldown_runs_until_it_ends_or_is_cleared,
                ended_counters_and_cooldowns_are_purged,
                failures_count_up_lock_and_reset,
                concurrent_failures_each_get_their_own_count,
                conversions_sum_per_country_and_minute;
                sessions:
                sessions_live_until_they_expire_or_are_deleted,
            );
        )*
    };
}

contract_for_every_store!(memory, sqlite, postgres);

/// What the database holds for a requested code: no code, nothing it can be read from
/// without the secret key.
#[tokio::test]
async fn the_stored_row_does_not_reveal_the_code() {
    use sha2::{Digest, Sha256};
    use sqlx::{Column, Connection, Row, SqliteConnection};

    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();

    let path = app.data_dir.path().join("telnyx-2fa.db");
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let row = sqlx::query("SELECT * FROM codes")
        .fetch_one(&mut db)
        .await
        .unwrap();
    let digest: Vec<u8> = row.get("digest");
    assert_eq!(digest.len(), 32);
    for unkeyed in [
        Sha256::digest(format!("{PHONE}\0{code}")).to_vec(),
        Sha256::digest(format!("{PHONE}{code}")).to_vec(),
        Sha256::digest(&code).to_vec(),
    ] {
        assert_ne!(digest, unkeyed, "the digest must be keyed");
    }
    // Every column of the row, as text: none holds the code.
    let columns = sqlx::query("SELECT * FROM codes")
        .fetch_one(&mut db)
        .await
        .unwrap();
    for (index, column) in columns.columns().iter().enumerate() {
        let text = columns
            .try_get::<String, _>(index)
            .or_else(|_| columns.try_get::<i64, _>(index).map(|n| n.to_string()))
            .or_else(|_| {
                columns
                    .try_get::<Vec<u8>, _>(index)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            })
            .unwrap_or_default();
        assert!(
            !text.contains(&code),
            "column {} holds the code: {text}",
            column.name()
        );
    }
}

/// Under load the table holds only live codes: expired and used ones are purged in the
/// background.
#[tokio::test]
async fn expired_and_used_codes_are_purged_in_the_background() {
    use sqlx::{Connection, SqliteConnection};
    use std::time::Duration;
    use telnyx_2fa::server::domain::clock::ManualClock;

    let clock = ManualClock::starting_at(NOW);
    let app = spawn_app_with(&[("PURGE_INTERVAL_SECONDS", "1")], Some(clock.clone())).await;
    for n in 0..20 {
        app.request_code(&format!("+1212555{:04}", 100 + n)).await;
    }
    let used = app.telnyx.last();
    let (status, _) = json(
        app.verify_code(used.body["to"].as_str().unwrap(), &used.code())
            .await,
    )
    .await;
    assert_eq!(status, 200);

    let path = app.data_dir.path().join("telnyx-2fa.db");
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    assert_eq!(
        count_codes(&mut db).await,
        20,
        "live and just-used codes are kept until they expire"
    );

    clock.advance(Duration::from_secs(600));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while count_codes(&mut db).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "expired codes were not purged"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn count_codes(db: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM codes")
        .fetch_one(db)
        .await
        .unwrap()
}

/// On SQLite (one writing process) new codes get increasing ids, so their rows and
/// their sends' records go to the end of their tables, and a new database has small
/// pages; a store shared by several instances (PostgreSQL) keeps random ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_hands_out_increasing_ids_and_small_pages_others_random_ids() {
    use sqlx::{Connection, SqliteConnection};

    let (stores, guard) = sqlite().await;
    let ids: Vec<Vec<i64>> = futures_util::future::join_all((0..4).map(|_| {
        let codes = stores.codes.clone();
        tokio::spawn(async move { (0..2_000).map(|_| codes.new_id().0).collect() })
    }))
    .await
    .into_iter()
    .map(Result::unwrap)
    .collect();
    for each in &ids {
        assert!(each.windows(2).all(|pair| pair[0] < pair[1]), "in order");
    }
    let distinct: BTreeSet<i64> = ids.iter().flatten().copied().collect();
    assert_eq!(distinct.len(), 8_000, "never the same id twice");
    // Led by the time: ids handed out later are larger.
    let later = stores.codes.new_id().0;
    assert!(ids.iter().flatten().all(|id| *id < later));
    let Guard::Dir(dir) = &guard else {
        unreachable!()
    };
    let mut db =
        SqliteConnection::connect(&format!("sqlite:{}", dir.path().join("codes.db").display()))
            .await
            .unwrap();
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(page_size, 1024);

    let (stores, _guard) = postgres().await;
    let ids: Vec<i64> = (0..64).map(|_| stores.codes.new_id().0).collect();
    let rising = ids.windows(2).filter(|pair| pair[0] < pair[1]).count();
    assert!(
        (10..54).contains(&rising),
        "random order: {rising} of 63 rising"
    );
}
