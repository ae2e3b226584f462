//! Many simultaneous requests through the HTTP API, on SQLite and on PostgreSQL, on a
//! multi-threaded runtime: exactly one success per code; never more tries than the
//! limit; never more SMS than a cap allows.

use crate::{helpers::*, postgres::fresh_database};
use futures_util::future::join_all;

async fn statuses(app: &TestApp, code: &str, times: usize) -> Vec<(u16, String)> {
    let responses = join_all((0..times).map(|_| async {
        let (status, body) = json(app.verify_code(PHONE, code).await).await;
        (status, body["error"].as_str().unwrap_or("").to_string())
    }))
    .await;
    responses
}

/// `database`: the app's database URL, where exactly one session must be left.
async fn exactly_one_of_many_correct_submissions_wins(app: TestApp, database: &str) {
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    let results = statuses(&app, &code, 50).await;
    let successes = results.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(successes, 1, "{results:?}");
    // The others find the code used, or arrived after the attempt limit was reached.
    assert!(
        results.iter().all(|(status, error)| *status == 200
            || error == "no_pending_code"
            || error == "too_many_attempts"),
        "{results:?}"
    );
    // The winner's session is stored with its consume; a request that found the code
    // consumed by another after storing its own session has ended it.
    assert_eq!(sessions_in(database).await, 1);
}

async fn sessions_in(url: &str) -> i64 {
    use sqlx::{AnyConnection, Connection};
    sqlx::any::install_default_drivers();
    let mut db = AnyConnection::connect(url).await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&mut db)
        .await
        .unwrap()
}

async fn concurrent_wrong_guesses_never_exceed_the_limit(app: TestApp) {
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    let results = statuses(&app, &other_code(&code), 50).await;
    let compared = results
        .iter()
        .filter(|(_, error)| error == "wrong_code")
        .count();
    let refused = results
        .iter()
        .filter(|(_, error)| error == "too_many_attempts")
        .count();
    assert_eq!(compared, 5, "{results:?}");
    assert_eq!(refused, 45, "{results:?}");
    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("too_many_attempts")),
        "the code is dead"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_one_winner() {
    let app = spawn_app().await;
    let database = format!(
        "sqlite:{}",
        app.data_dir.path().join("telnyx-2fa.db").display()
    );
    exactly_one_of_many_correct_submissions_wins(app, &database).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_wrong_guess_limit() {
    concurrent_wrong_guesses_never_exceed_the_limit(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_one_winner() {
    let database = fresh_database().await;
    let app = spawn_app_with(&[("DATABASE_URL", &database.url)], None).await;
    exactly_one_of_many_correct_submissions_wins(app, &database.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_wrong_guess_limit() {
    let database = fresh_database().await;
    let app = spawn_app_with(&[("DATABASE_URL", &database.url)], None).await;
    concurrent_wrong_guesses_never_exceed_the_limit(app).await;
}

/// Requests a code for each of `numbers` at once (the same number may repeat); returns
/// how many were answered 200.
async fn request_all(app: &TestApp, numbers: &[String]) -> usize {
    join_all(numbers.iter().map(|number| app.request_code(number)))
        .await
        .iter()
        .filter(|response| response.status() == 200)
        .count()
}

fn distinct_numbers(count: usize) -> Vec<String> {
    (0..count)
        .map(|n| format!("+1212555{:04}", 2000 + n))
        .collect()
}

/// For each cap, 40 simultaneous requests: exactly the cap's number of SMS reach Telnyx.
async fn caps_hold_under_concurrency(postgres: bool) {
    let one_number = vec![PHONE.to_string(); 40];
    let cases: [(&str, &str, Vec<String>, usize); 5] = [
        ("RESEND_COOLDOWN_SECONDS", "30", one_number.clone(), 1),
        ("SENDS_PER_NUMBER", "3", one_number, 3),
        ("SENDS_PER_IP", "4", distinct_numbers(40), 4),
        ("SENDS_PER_COUNTRY_PER_HOUR", "6", distinct_numbers(40), 6),
        ("SENDS_PER_HOUR", "5", distinct_numbers(40), 5),
    ];
    for (setting, value, numbers, expected) in cases {
        // A fresh database per case: one case's counters must not leak into the next.
        let database = match postgres {
            true => Some(fresh_database().await),
            false => None,
        };
        let mut settings = vec![(setting, value)];
        if let Some(database) = &database {
            settings.push(("DATABASE_URL", database.url.as_str()));
        }
        let app = spawn_app_with(&settings, None).await;
        let answered = request_all(&app, &numbers).await;
        assert_eq!(app.telnyx.received().len(), expected, "{setting}={value}");
        assert_eq!(answered, expected, "{setting}={value}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_caps_hold_under_concurrency() {
    caps_hold_under_concurrency(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_caps_hold_under_concurrency() {
    caps_hold_under_concurrency(true).await;
}
