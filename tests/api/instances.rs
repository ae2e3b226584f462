//! Two app instances on one PostgreSQL database behave as one service.

use crate::{helpers::*, postgres::fresh_database};

const SECRET: &str = "8b1f0c7e5d4a39261f0e9d8c7b6a59483726150f1e2d3c4b5a69788796a5b4c3";

#[tokio::test]
async fn a_code_requested_on_one_instance_verifies_once_on_another() {
    let database = fresh_database().await;
    let settings = [
        ("DATABASE_URL", database.url.as_str()),
        ("SECRET_KEY", SECRET),
    ];
    let a = spawn_app_with(&settings, None).await;
    let b = spawn_app_with(&settings, None).await;

    a.request_code(PHONE).await;
    let code = a.telnyx.last().code();
    b.adopt_verification(PHONE, &a.verification_of(PHONE).unwrap());

    assert_eq!(json(b.verify_code(PHONE, &code).await).await.0, 200);
    let (status, body) = json(a.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 404, "consumed on B, so rejected on A: {body}");
}

#[tokio::test]
async fn attempts_are_counted_across_instances() {
    let database = fresh_database().await;
    let settings = [
        ("DATABASE_URL", database.url.as_str()),
        ("SECRET_KEY", SECRET),
    ];
    let a = spawn_app_with(&settings, None).await;
    let b = spawn_app_with(&settings, None).await;

    a.request_code(PHONE).await;
    let wrong = other_code(&a.telnyx.last().code());
    b.adopt_verification(PHONE, &a.verification_of(PHONE).unwrap());
    for (app, left) in [(&a, 4), (&b, 3), (&a, 2), (&b, 1), (&a, 0)] {
        assert_eq!(
            json(app.verify_code(PHONE, &wrong).await).await.1["attempts_left"],
            left
        );
    }
    assert_eq!(json(b.verify_code(PHONE, &wrong).await).await.0, 403);
}

#[tokio::test]
async fn instances_must_share_the_secret_key() {
    let database = fresh_database().await;
    let a = spawn_app_with(
        &[("DATABASE_URL", &database.url), ("SECRET_KEY", SECRET)],
        None,
    )
    .await;
    let other_secret = "00".repeat(32);
    let b = spawn_app_with(
        &[
            ("DATABASE_URL", &database.url),
            ("SECRET_KEY", &other_secret),
        ],
        None,
    )
    .await;

    a.request_code(PHONE).await;
    let code = a.telnyx.last().code();
    b.adopt_verification(PHONE, &a.verification_of(PHONE).unwrap());
    let (status, body) = json(b.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 401, "a different key cannot check the code: {body}");
}
