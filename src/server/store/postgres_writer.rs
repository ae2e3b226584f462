//! PostgreSQL's hot-path writes, committed in groups. Sent one by one, each statement is
//! a transaction of its own: a commit, and a wait for its WAL to reach the disk, per
//! statement. Here a few writers each take the writes that arrive together and run them
//! in one transaction (group commit), answering each only once that transaction has
//! committed, so an acknowledged write is as durable as before.
//!
//! The writers run on a thread of their own, each with a connection of its own. A group's
//! statements go one after another, each waiting for the last one's answer; on the
//! server's runtime, each of those answers waited in line behind the requests being
//! served, and the connections sat idle in their transactions most of the time.
//!
//! PostgreSQL ends a transaction at its first failed statement, so a group with a failure
//! is rolled back and its statements run again one by one, each in a transaction of its
//! own, as without the writer: a failure stays its own statement's. A group that waits
//! for a row another group holds (in this instance or another; two groups can take the
//! same rows in opposite orders) gives up after [`BEGIN`]'s lock timeout the same way,
//! instead of waiting for the server's deadlock check (a second). A commit that fails is
//! not run again: its outcome is unknown, and its statements are answered with the
//! failure.

use super::{
    statement::{Outcome, Statement, Want},
    write_queue::{self, Jobs},
};
use sqlx::{any::AnyRow, AnyConnection, Connection, Executor};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};

/// The most statements one transaction takes.
const MOST_PER_COMMIT: usize = 64;

/// Writers running at once, each with a connection of its own.
const WRITERS: usize = 2;

/// How a group's transaction starts (one round trip): a group that waits for a row lock
/// this long runs its statements one by one instead.
const BEGIN: &str = "BEGIN; SET LOCAL lock_timeout = '100ms'";

/// What a caller hears once the writers are gone.
const STOPPED: &str = "the PostgreSQL writer has stopped";

type Job = write_queue::Job<AnyRow>;

/// The way to the writers (cheap to clone); they stop when the last clone goes.
#[derive(Debug, Clone)]
pub(super) struct PgWriter {
    jobs: Jobs<AnyRow>,
}

impl PgWriter {
    /// Connects the writers to the database at `url` and starts their thread.
    pub async fn start(url: &str) -> Result<Self, String> {
        let (jobs, queue) = Jobs::new(4 * MOST_PER_COMMIT, STOPPED);
        let queue = Arc::new(Mutex::new(queue));
        let (started, connected) = oneshot::channel();
        let url = url.to_string();
        std::thread::Builder::new()
            .name("postgres-writer".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = started.send(Err(error.to_string()));
                        return;
                    }
                };
                runtime.block_on(run_writers(url, queue, started));
            })
            .map_err(|e| format!("PostgreSQL writer: {e}"))?;
        connected.await.map_err(|_| STOPPED.to_string())??;
        Ok(Self { jobs })
    }

    /// Runs `statement` in the next group; answers once that group has committed.
    pub async fn run(&self, statement: Statement, want: Want) -> Result<Outcome<AnyRow>, String> {
        self.jobs.run(statement, want).await
    }
}

/// The writer thread's work: connect every writer (telling `started` how that went), then
/// write until the queue closes.
async fn run_writers(
    url: String,
    queue: Arc<Mutex<mpsc::Receiver<Job>>>,
    started: oneshot::Sender<Result<(), String>>,
) {
    let mut connections = Vec::with_capacity(WRITERS);
    for _ in 0..WRITERS {
        match connect(&url).await {
            Ok(connection) => connections.push(connection),
            Err(why) => {
                let _ = started.send(Err(why));
                return;
            }
        }
    }
    let _ = started.send(Ok(()));
    let mut writers = tokio::task::JoinSet::new();
    for connection in connections {
        writers.spawn(write(url.clone(), connection, queue.clone()));
    }
    while writers.join_next().await.is_some() {}
}

/// A writer's loop: take what has arrived (up to [`MOST_PER_COMMIT`]), run it in one
/// transaction, answer. A connection that broke is replaced before the next group.
async fn write(url: String, connection: AnyConnection, queue: Arc<Mutex<mpsc::Receiver<Job>>>) {
    let mut connection = Some(connection);
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
        let live = match connection.as_mut() {
            Some(live) => live,
            None => match connect(&url).await {
                Ok(fresh) => connection.insert(fresh),
                Err(why) => {
                    for job in jobs.drain(..) {
                        let _ = job.reply.send(Err(why.clone()));
                    }
                    continue;
                }
            },
        };
        if !run_group(live, &mut jobs).await {
            tracing::warn!("a PostgreSQL writer's connection failed: it is replaced");
            connection = None;
        }
    }
}

/// A writer's own connection to the database at `url`.
async fn connect(url: &str) -> Result<AnyConnection, String> {
    AnyConnection::connect(url)
        .await
        .map_err(|error| format!("PostgreSQL writer: {error}"))
}

/// How a group's transaction ended, when it did not commit.
enum NotCommitted {
    /// Rolled back before its commit: nothing of it holds, its statements may run again.
    RolledBack(sqlx::Error),
    /// Its commit failed: what holds is unknown.
    Unknown(sqlx::Error),
}

/// Runs `jobs` in one transaction; if that is rolled back, one by one. Answers whether the
/// connection still works (a failure other than a statement's own says it may not).
async fn run_group(connection: &mut AnyConnection, jobs: &mut Vec<Job>) -> bool {
    let mut works = true;
    if jobs.len() > 1 {
        match in_one_transaction(connection, jobs).await {
            Ok(answers) => {
                for (job, answer) in jobs.drain(..).zip(answers) {
                    let _ = job.reply.send(Ok(answer));
                }
                return true;
            }
            Err(NotCommitted::Unknown(error)) => {
                tracing::error!(%error, "a group of writes did not commit");
                let why = format!("not committed: {error}");
                for job in jobs.drain(..) {
                    let _ = job.reply.send(Err(why.clone()));
                }
                return false;
            }
            Err(NotCommitted::RolledBack(error)) => {
                tracing::debug!(%error, "a group of writes was rolled back: each runs alone");
                works = is_statements_own(&error);
            }
        }
    }
    for job in jobs.drain(..) {
        let answer = run(connection, &job.statement, job.want).await;
        if let Err(error) = &answer {
            works &= is_statements_own(error);
        }
        let _ = job.reply.send(answer.map_err(|error| error.to_string()));
    }
    works
}

/// Whether `error` is the database's answer to a statement (the connection still works),
/// rather than a failure of the connection itself (classes 08, connection exception, and
/// 57, the server ending the session, are the latter).
fn is_statements_own(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(error) => !error
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57")),
        sqlx::Error::RowNotFound => true,
        _ => false,
    }
}

async fn in_one_transaction(
    connection: &mut AnyConnection,
    jobs: &[Job],
) -> Result<Vec<Outcome<AnyRow>>, NotCommitted> {
    connection
        .execute(BEGIN)
        .await
        .map_err(NotCommitted::RolledBack)?;
    let mut answers = Vec::with_capacity(jobs.len());
    for job in jobs {
        match run(connection, &job.statement, job.want).await {
            Ok(answer) => answers.push(answer),
            Err(error) => {
                // Undone now, so the statements can run again on this connection.
                let _ = connection.execute("ROLLBACK").await;
                return Err(NotCommitted::RolledBack(error));
            }
        }
    }
    connection
        .execute("COMMIT")
        .await
        .map_err(NotCommitted::Unknown)?;
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
    use sqlx::{any::AnyPoolOptions, AnyPool, Row};
    use std::time::Duration;

    /// A fresh database on the PostgreSQL server at `TEST_DATABASE_URL` (default: the
    /// local one) with a table `t (k, v)`; dropped by [`Database::drop`].
    struct Database {
        admin: String,
        name: String,
        url: String,
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
            let url = format!("{base}/{name}");
            let pool = AnyPoolOptions::new()
                .max_connections(6)
                .connect(&url)
                .await
                .unwrap();
            pool.execute("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)")
                .await
                .unwrap();
            Self {
                admin,
                name,
                url,
                pool,
            }
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
        let writer = PgWriter::start(&database.url).await.unwrap();
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
        let writer = PgWriter::start(&database.url).await.unwrap();
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_writer_whose_connection_broke_gets_a_new_one() {
        let database = Database::new().await;
        let writer = PgWriter::start(&database.url).await.unwrap();
        let insert = |k: i64| Statement::new("INSERT INTO t (k, v) VALUES ($1, 'x')").bind(k);
        let landed = writer.run(insert(0), Want::Changed).await;
        assert!(matches!(landed, Ok(Outcome::Changed(1))));
        // The server ends every session on the database, the writers' among them.
        let mut admin = AnyConnection::connect(&database.admin).await.unwrap();
        let end_all = format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
            database.name
        );
        admin.execute(end_all.as_str()).await.unwrap();
        // A writer's next group may fail with its connection; then it has a new one.
        let mut answers = Vec::new();
        for k in 1..=10 {
            answers.push(writer.run(insert(k), Want::Changed).await.is_ok());
        }
        assert!(answers[6..].iter().all(|landed| *landed), "{answers:?}");
        database.drop().await;
    }
}
