//! SQLite's writes, committed in groups. SQLite has one writer at a time; statements
//! sent one by one through the pool each pay a hand-off to a connection's worker thread,
//! a wait for the write lock and a commit of their own. Here one connection takes the
//! writes that arrive together, runs them in one transaction (`BEGIN IMMEDIATE` …
//! `COMMIT`: group commit), and answers each only once that transaction is committed,
//! so an acknowledged write is exactly as durable as before. Each statement keeps its
//! own atomicity (SQLite undoes a failed statement, not its neighbours). Reads stay on
//! the pool: WAL readers see every committed write.

use sqlx::{
    any::{AnyArguments, AnyQueryResult, AnyRow},
    query::Query,
    Any, AnyConnection, AnyPool, Executor,
};
use tokio::sync::{mpsc, oneshot};

/// A statement with its values bound (and owned), ready to travel to the writer.
pub(super) type Statement = Query<'static, Any, AnyArguments<'static>>;

/// The most statements one transaction takes.
const MOST_PER_COMMIT: usize = 256;

/// A statement and where its answer goes.
enum Job {
    Execute(Statement, Reply<AnyQueryResult>),
    FetchOptional(Statement, Reply<Option<AnyRow>>),
    FetchAll(Statement, Reply<Vec<AnyRow>>),
}

type Reply<T> = oneshot::Sender<Result<T, sqlx::Error>>;

/// A statement's outcome, held until its transaction has committed.
enum Ran {
    Execute(Result<AnyQueryResult, sqlx::Error>, Reply<AnyQueryResult>),
    FetchOptional(Result<Option<AnyRow>, sqlx::Error>, Reply<Option<AnyRow>>),
    FetchAll(Result<Vec<AnyRow>, sqlx::Error>, Reply<Vec<AnyRow>>),
}

/// The way to the writing connection (cheap to clone).
#[derive(Debug, Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Takes one connection out of `pool` for writing, for good.
    pub async fn start(pool: &AnyPool) -> Result<Self, sqlx::Error> {
        let connection = pool.acquire().await?.detach();
        let (jobs, queue) = mpsc::channel(4 * MOST_PER_COMMIT);
        tokio::spawn(write(pool.clone(), connection, queue));
        Ok(Self { jobs })
    }

    pub async fn execute(&self, statement: Statement) -> Result<AnyQueryResult, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Execute(statement, reply), answer).await
    }

    pub async fn fetch_optional(
        &self,
        statement: Statement,
    ) -> Result<Option<AnyRow>, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::FetchOptional(statement, reply), answer)
            .await
    }

    pub async fn fetch_all(&self, statement: Statement) -> Result<Vec<AnyRow>, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::FetchAll(statement, reply), answer).await
    }

    async fn send<T>(
        &self,
        job: Job,
        answer: oneshot::Receiver<Result<T, sqlx::Error>>,
    ) -> Result<T, sqlx::Error> {
        self.jobs
            .send(job)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

impl Job {
    /// Runs the statement on `connection` (inside the group's transaction).
    async fn run(self, connection: &mut AnyConnection) -> Ran {
        match self {
            Job::Execute(statement, reply) => {
                Ran::Execute(statement.execute(&mut *connection).await, reply)
            }
            Job::FetchOptional(statement, reply) => {
                Ran::FetchOptional(statement.fetch_optional(&mut *connection).await, reply)
            }
            Job::FetchAll(statement, reply) => {
                Ran::FetchAll(statement.fetch_all(&mut *connection).await, reply)
            }
        }
    }

    /// Answers that the statement did not run.
    fn fail(self, why: &str) {
        let error = || sqlx::Error::Protocol(why.to_string());
        match self {
            Job::Execute(_, reply) => drop(reply.send(Err(error()))),
            Job::FetchOptional(_, reply) => drop(reply.send(Err(error()))),
            Job::FetchAll(_, reply) => drop(reply.send(Err(error()))),
        }
    }
}

impl Ran {
    /// Answers with the statement's own outcome (its transaction committed), or with
    /// `lost` (it did not).
    fn answer(self, lost: Option<&str>) {
        let error = |why: &str| sqlx::Error::Protocol(format!("not committed: {why}"));
        match (self, lost) {
            (Ran::Execute(result, reply), None) => drop(reply.send(result)),
            (Ran::FetchOptional(result, reply), None) => drop(reply.send(result)),
            (Ran::FetchAll(result, reply), None) => drop(reply.send(result)),
            (Ran::Execute(_, reply), Some(why)) => drop(reply.send(Err(error(why)))),
            (Ran::FetchOptional(_, reply), Some(why)) => drop(reply.send(Err(error(why)))),
            (Ran::FetchAll(_, reply), Some(why)) => drop(reply.send(Err(error(why)))),
        }
    }
}

/// The writer's loop: take what has arrived (up to [`MOST_PER_COMMIT`]), run it in one
/// transaction, commit, answer. Nothing is answered before its commit.
async fn write(pool: AnyPool, mut connection: AnyConnection, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MOST_PER_COMMIT);
    let mut ran = Vec::with_capacity(MOST_PER_COMMIT);
    while queue.recv_many(&mut jobs, MOST_PER_COMMIT).await > 0 {
        if let Err(error) = connection.execute("BEGIN IMMEDIATE").await {
            // Nothing ran (and nothing may run outside a transaction, or a write could
            // land while its caller hears it failed).
            tracing::error!(%error, "could not start a group of writes");
            let why = error.to_string();
            jobs.drain(..).for_each(|job| job.fail(&why));
            // The connection may be gone for good: the next group gets a fresh one.
            if let Ok(fresh) = pool.acquire().await {
                connection = fresh.detach();
            }
            continue;
        }
        for job in jobs.drain(..) {
            ran.push(job.run(&mut connection).await);
        }
        let lost = match connection.execute("COMMIT").await {
            Ok(_) => None,
            Err(error) => {
                tracing::error!(%error, "a group of writes did not commit");
                let _ = connection.execute("ROLLBACK").await;
                Some(error.to_string())
            }
        };
        ran.drain(..)
            .for_each(|outcome| outcome.answer(lost.as_deref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{any::AnyPoolOptions, Row};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_commits_together_and_a_failed_statement_fails_alone() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/w.db?mode=rwc", dir.path().display());
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .unwrap();
        pool.execute("PRAGMA journal_mode = WAL").await.unwrap();
        pool.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        let writer = Writer::start(&pool).await.unwrap();
        // 90 inserts at once; every third repeats a key and must fail on its own.
        let writes = (0..90i64).map(|i| {
            let (writer, pool) = (writer.clone(), pool.clone());
            tokio::spawn(async move {
                let key = if i % 3 == 2 { i - 1 } else { i };
                let result = writer
                    .execute(sqlx::query("INSERT INTO t (k) VALUES ($1)").bind(key))
                    .await;
                // Answered means committed: another connection already sees it.
                if result.is_ok() {
                    let seen: i64 = sqlx::query("SELECT COUNT(*) AS n FROM t WHERE k = $1")
                        .bind(key)
                        .fetch_one(&pool)
                        .await
                        .unwrap()
                        .get("n");
                    assert_eq!(seen, 1);
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
            .fetch_one(&pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(rows, 60);
        let returned = writer
            .fetch_all(sqlx::query("DELETE FROM t WHERE k < $1 RETURNING k").bind(3i64))
            .await
            .unwrap();
        assert_eq!(returned.len(), 2);
    }
}
