//! When the database goes away, requests fail with a clear 503, never a success.

use crate::{helpers::*, postgres::fresh_database};

#[tokio::test]
async fn a_lost_database_gives_503_and_never_verifies() {
    let database = fresh_database().await;
    let app = spawn_app_with(&[("DATABASE_URL", &database.url)], None).await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();

    database.drop_now().await;

    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "store_unavailable");
    let (status, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "store_unavailable");
}
