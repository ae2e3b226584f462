//! What both group-committing writers (SQLite's and PostgreSQL's) must do, checked the
//! same way in their tests: a burst of writes at once, some of which fail.

use super::statement::{Outcome, ReadRow, Statement, Want};
use sqlx::{AnyPool, Row};
use std::future::Future;

/// Sends 90 inserts into `t (k, v)` at once through `run`; every third repeats a key and
/// must fail on its own. Checks that each answered insert is already visible to `pool`
/// (answered means committed), with each value where its placeholder put it, and that
/// exactly the 60 others landed; then that a `RETURNING` statement returns its rows, and
/// that a statement that can't run fails with the reason.
pub(super) async fn a_burst_with_failures_lands_all_but_the_failures<F, Fut, R>(
    run: F,
    pool: &AnyPool,
) where
    F: Fn(Statement, Want) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Outcome<R>, String>> + Send,
    R: ReadRow,
{
    let send = run.clone();
    let insert = move |statement| {
        let run = send.clone();
        async move { run(statement, Want::Changed).await.map(Outcome::changed) }
    };
    let writes = (0..90i64).map(|i| {
        let (insert, pool) = (insert.clone(), pool.clone());
        tokio::spawn(async move {
            let key = if i % 3 == 2 { i - 1 } else { i };
            let statement = Statement::new("INSERT INTO t (k, v) VALUES ($2, $1)")
                .bind(format!("v{key}"))
                .bind(key);
            let result = insert(statement).await;
            if let Ok(changed) = &result {
                assert_eq!(*changed, 1);
                let seen: String = sqlx::query("SELECT v FROM t WHERE k = $1")
                    .bind(key)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .get("v");
                assert_eq!(seen, format!("v{key}"));
            }
            result.is_ok()
        })
    });
    let mut succeeded = 0;
    for write in writes.collect::<Vec<_>>() {
        succeeded += usize::from(write.await.unwrap());
    }
    assert_eq!(succeeded, 60);
    let rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM t")
        .fetch_one(pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(rows, 60);
    let rows = run(
        Statement::new("DELETE FROM t WHERE k < $1 RETURNING k, v").bind(3i64),
        Want::Rows,
    )
    .await
    .unwrap()
    .rows();
    let mut keys: Vec<i64> = rows.iter().map(|row| row.read("k").unwrap()).collect();
    keys.sort();
    assert_eq!(keys, [0, 1]);
    let broken = insert(Statement::new("INSERT INTO nowhere VALUES ($1)").bind(1i64)).await;
    assert!(
        matches!(&broken, Err(why) if why.contains("nowhere")),
        "{broken:?}"
    );
}
