//! Many simultaneous submissions for one code, through the HTTP API, on SQLite and on
//! PostgreSQL: exactly one success; never more tries than the limit.

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

async fn exactly_one_of_many_correct_submissions_wins(app: TestApp) {
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

#[tokio::test]
async fn sqlite_one_winner() {
    exactly_one_of_many_correct_submissions_wins(spawn_app().await).await;
}

#[tokio::test]
async fn sqlite_wrong_guess_limit() {
    concurrent_wrong_guesses_never_exceed_the_limit(spawn_app().await).await;
}

#[tokio::test]
async fn postgres_one_winner() {
    let database = fresh_database().await;
    let app = spawn_app_with(&[("DATABASE_URL", &database.url)], None).await;
    exactly_one_of_many_correct_submissions_wins(app).await;
}

#[tokio::test]
async fn postgres_wrong_guess_limit() {
    let database = fresh_database().await;
    let app = spawn_app_with(&[("DATABASE_URL", &database.url)], None).await;
    concurrent_wrong_guesses_never_exceed_the_limit(app).await;
}
