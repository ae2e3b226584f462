//! PostgreSQL's hot-path writes, committed in groups. Sent one by one, each statement is
//! a transaction of its own: a commit, and a wait for its WAL to reach the disk, per
//! statement. Here a few tasks each take the writes that arrive together and run them in
//! one transaction on a pooled connection (group commit), answering each only once that
//! transaction has committed, so an acknowledged write is as durable as before.
//!
//! PostgreSQL ends a transaction at its first failed statement, so a group with a failure
//! is rolled back and its statements run again one by one, each in a transaction of its
//! own, as without the writer: a failure stays its own statement's. A group that waits
//! for a row another group holds (in this instance or another; two groups can take the
//! same rows in opposite orders) gives up after [`LOCK_WAIT`] the same way, instead of
//! waiting for the server's deadlock check (a second). A commit that fails is not run
//! again: its outcome is unknown, and its statements are answered with the failure.

use super::{
    statement::{Outcome, Statement, Want},
    write_queue::{self, Jobs},
};
use sqlx::{any::AnyRow, AnyConnection, AnyPool, Connection, Executor};
use std::sync::Arc;
use tokio::sync::{mpsc, Mutex};

/// The most statements one transaction takes.
const MOST_PER_COMMIT: usize = 64;

/// Groups running at once (each on a connection of the pool).
const WRITERS: usize = 2;

/// How long a group waits for a row lock before it runs its statements one by one.
const LOCK_WAIT: &str = "SET LOCAL lock_timeout = '100ms'";

type Job = write_queue::Job<AnyRow>;

/// The way to the writing tasks (cheap to clone); they stop when the last clone goes.
#[derive(Debug, Clone)]
pub(super) struct PgWriter {
    jobs: Jobs<AnyRow>,
}

impl PgWriter {
    /// Starts the tasks that write through `pool`'s connections.
    pub fn start(pool: &AnyPool) -> Self {
        let (jobs, queue) = Jobs::new(4 * MOST_PER_COMMIT, "the PostgreSQL writer has stopped");
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..WRITERS {
            tokio::spawn(write(pool.clone(), queue.clone()));
        }
        Self { jobs }
    }

    /// Runs `statement` in the next group; answers once that group has committed.
    pub async fn run(&self, statement: Statement, want: Want) -> Result<Outcome<AnyRow>, String> {
        self.jobs.run(statement, want).await
    }
}

/// A writing task's loop: take what has arrived (up to [`MOST_PER_COMMIT`]), run it in one
/// transaction, answer.
async fn write(pool: AnyPool, queue: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut jobs = Vec::with_capacity(MOST_PER_COMMIT);
    loop {
        {
            let mut queue = queue.lock().await;
            let Some(first) = queue.recv().await else {
                return;
            };
            jobs.push(first);
            while jobs.len() < MOST_PER_COMMIT {
                let Ok(job) = queue.try_recv() else { break };
                jobs.push(job);
            }
        }
        match pool.acquire().await {
            Ok(mut connection) => run_group(&mut connection, &mut jobs).await,
            Err(error) => {
                let why = error.to_string();
                for job in jobs.drain(..) {
                    let _ = job.reply.send(Err(why.clone()));
                }
            }
        }
    }
}

/// How a group's transaction ended, when it did not commit.
enum NotCommitted {
    /// Rolled back before its commit: nothing of it holds, its statements may run again.
    RolledBack(sqlx::Error),
    /// Its commit failed: what holds is unknown.
    Unknown(sqlx::Error),
}

/// Runs `jobs` in one transaction; if that is rolled back, one by one.
async fn run_group(connection: &mut AnyConnection, jobs: &mut Vec<Job>) {
    if jobs.len() > 1 {
        match in_one_transaction(connection, jobs).await {
            Ok(answers) => {
                for (job, answer) in jobs.drain(..).zip(answers) {
                    let _ = job.reply.send(Ok(answer));
                }
                return;
            }
            Err(NotCommitted::Unknown(error)) => {
                tracing::error!(%error, "a group of writes did not commit");
                let why = format!("not committed: {error}");
                for job in jobs.drain(..) {
                    let _ = job.reply.send(Err(why.clone()));
                }
                return;
            }
            Err(NotCommitted::RolledBack(error)) => {
                tracing::debug!(%error, "a group of writes was rolled back: each runs alone");
            }
        }
    }
    for job in jobs.drain(..) {
        let answer = run(connection, &job.statement, job.want)
            .await
            .map_err(|error| error.to_string());
        let _ = job.reply.send(answer);
    }
}

async fn in_one_transaction(
    connection: &mut AnyConnection,
    jobs: &[Job],
) -> Result<Vec<Outcome<AnyRow>>, NotCommitted> {
    let mut transaction = connection.begin().await.map_err(NotCommitted::RolledBack)?;
    transaction
        .execute(LOCK_WAIT)
        .await
        .map_err(NotCommitted::RolledBack)?;
    let mut answers = Vec::with_capacity(jobs.len());
    for job in jobs {
        match run(&mut transaction, &job.statement, job.want).await {
            Ok(answer) => answers.push(answer),
            Err(error) => {
                // Undone now, so the statements can run again on this connection.
                let _ = transaction.rollback().await;
                return Err(NotCommitted::RolledBack(error));
            }
        }
    }
    transaction.commit().await.map_err(NotCommitted::Unknown)?;
    Ok(answers)
}

/// Runs one statement on `connection`.
async fn run(
    connection: &mut AnyConnection,
    statement: &Statement,
    want: Want,
) -> Result<Outcome<AnyRow>, sqlx::Error> {
    let query = statement.query();
    Ok(match want {
        Want::Changed => Outcome::Changed(query.execute(&mut *connection).await?.rows_affected()),
        Want::Rows => Outcome::Rows(query.fetch_all(&mut *connection).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::writer_checks;
    use sqlx::{any::AnyPoolOptions, Row};
    use std::time::Duration;

    /// A fresh database on the PostgreSQL server at `TEST_DATABASE_URL` (default: the
    /// local one) with a table `t (k, v)`; dropped by [`Database::drop`].
    struct Database {
        admin: String,
        name: String,
        pool: AnyPool,
    }

    impl Database {
        async fn new() -> Self {
            sqlx::any::install_default_drivers();
            let admin = std::env::var("TEST_DATABASE_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let name = format!("t2fa_writer_{:016x}", rand::random::<u64>());
            let mut connection = AnyConnection::connect(&admin)
                .await
                .expect("PostgreSQL at TEST_DATABASE_URL or 127.0.0.1:5432");
            connection
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            let (base, _) = admin.rsplit_once('/').unwrap();
            let pool = AnyPoolOptions::new()
                .max_connections(6)
                .connect(&format!("{base}/{name}"))
                .await
                .unwrap();
            pool.execute("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)")
                .await
                .unwrap();
            Self { admin, name, pool }
        }

        async fn drop(self) {
            self.pool.close().await;
            let mut connection = AnyConnection::connect(&self.admin).await.unwrap();
            connection
                .execute(format!("DROP DATABASE {} WITH (FORCE)", self.name).as_str())
                .await
                .unwrap();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_commits_together_and_a_failed_statement_fails_alone() {
        let database = Database::new().await;
        let writer = PgWriter::start(&database.pool);
        // Each failure rolls back the group it landed in, whose others then run alone.
        let run = move |statement, want| {
            let writer = writer.clone();
            async move { writer.run(statement, want).await }
        };
        writer_checks::a_burst_with_failures_lands_all_but_the_failures(run, &database.pool).await;
        database.drop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_held_up_by_a_lock_lets_go_and_every_statement_still_lands() {
        let database = Database::new().await;
        for k in 0..20i64 {
            sqlx::query("INSERT INTO t (k, v) VALUES ($1, '0')")
                .bind(k)
                .execute(&database.pool)
                .await
                .unwrap();
        }
        // Another transaction holds row 0 for a while (as another group, or another
        // instance's, would).
        let mut holder = database.pool.acquire().await.unwrap();
        holder.execute("BEGIN").await.unwrap();
        holder
            .execute("UPDATE t SET v = 'held' WHERE k = 0")
            .await
            .unwrap();
        let writer = PgWriter::start(&database.pool);
        let updates = (0..40i64).map(|i| {
            let writer = writer.clone();
            tokio::spawn(async move {
                let update = Statement::new("UPDATE t SET v = v || 'x' WHERE k = $1").bind(i % 20);
                writer.run(update, Want::Changed).await
            })
        });
        let updates: Vec<_> = updates.collect();
        tokio::time::sleep(Duration::from_millis(400)).await;
        holder.execute("COMMIT").await.unwrap();
        drop(holder);
        for update in updates {
            assert!(matches!(update.await.unwrap(), Ok(Outcome::Changed(1))));
        }
        // Each row got both of its updates, exactly once.
        let values: Vec<String> = sqlx::query("SELECT v FROM t ORDER BY k")
            .fetch_all(&database.pool)
            .await
            .unwrap()
            .iter()
            .map(|row| row.get("v"))
            .collect();
        assert_eq!(values[0], "heldxx");
        assert!(values[1..].iter().all(|v| v == "0xx"), "{values:?}");
        database.drop().await;
    }
}
