//! SQLite's writes, committed in groups, on a thread of their own. SQLite has one writer
//! at a time; statements sent one by one through a pool each pay hand-offs to a
//! connection's worker thread, a wait for the write lock and a commit of their own. Here
//! one connection, owned by one thread, takes the writes that arrive together, runs them
//! in one transaction (`BEGIN IMMEDIATE` … `COMMIT`: group commit) with cached prepared
//! statements, and answers each only once that transaction is committed, so an
//! acknowledged write is exactly as durable as before. Each statement keeps its own
//! atomicity (SQLite undoes a failed statement, not its neighbours); an error that ends
//! the whole transaction fails every statement of the group. A request's own reads run
//! here too (answered, like everything, once their group has committed); reports and
//! health checks read from the pool, where WAL readers see every committed write.

use super::{
    statement::{Outcome, Statement, Value, Values, Want},
    write_queue::{self, Jobs},
};
use rusqlite::{types::ValueRef, Connection};
use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};
use tokio::sync::mpsc;

/// The most statements one transaction takes.
const MOST_PER_COMMIT: usize = 256;

/// Prepared statements kept (the hot path has a few dozen).
const CACHED_STATEMENTS: usize = 128;

type Job = write_queue::Job<Values>;

/// The way to the writing thread (cheap to clone); it stops when the last clone goes.
#[derive(Debug, Clone)]
pub(super) struct Writer {
    jobs: Jobs<Values>,
}

impl Writer {
    /// Opens a connection of its own to the database file at `path`, and starts the
    /// thread that writes through it.
    pub fn start(path: &Path) -> Result<Self, String> {
        let connection = open(path).map_err(|e| format!("SQLite writer: {e}"))?;
        let (jobs, queue) = Jobs::new(4 * MOST_PER_COMMIT, "the SQLite writer has stopped");
        let checkpoints = open(path).map_err(|e| format!("SQLite checkpoints: {e}"))?;
        let (running, stopped) = std::sync::mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpoint(checkpoints, stopped))
            .map_err(|e| format!("SQLite checkpoints: {e}"))?;
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                write(path, connection, queue);
                drop(running);
            })
            .map_err(|e| format!("SQLite writer: {e}"))?;
        Ok(Self { jobs })
    }

    /// Runs `statement` in the next group; answers once that group has committed.
    pub async fn run(&self, statement: Statement, want: Want) -> Result<Outcome<Values>, String> {
        self.jobs.run(statement, want).await
    }
}

/// How every connection to the SQLite database is set up, the pool's and this module's:
/// readers don't block the writer (WAL) and writers wait for each other; commits don't
/// sync the file (`synchronous = NORMAL`: durable across a crash of the process); the
/// automatic checkpoint, a backstop to the checkpoint thread, waits for 10,000 changed
/// pages instead of 1,000.
pub(super) const CONNECTION_PRAGMAS: [&str; 5] = [
    // Before anything is written to a new database (an existing one keeps its own): new
    // rows land on random pages of the indexes on random keys (verification and message
    // ids), and a commit writes each page it changed to the WAL whole, so small pages
    // mean less to write and to copy back.
    "PRAGMA page_size = 1024",
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA wal_autocheckpoint = 10000",
];

/// A connection set up with [`CONNECTION_PRAGMAS`].
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
    for pragma in CONNECTION_PRAGMAS {
        // Some pragmas answer with a row: read past it.
        connection.prepare(pragma)?.raw_query().next()?;
    }
    Ok(connection)
}

/// How often the WAL is copied back into the database, off the writer's thread: often,
/// so each copy is small. A copy still holds up the writer while it runs (every 250 ms,
/// copies of thousands of pages made verify-code's p99 half as long again).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(50);

/// Copies the WAL's committed pages back into the database file (a passive checkpoint:
/// it waits for no reader and no writer) every [`CHECKPOINT_EVERY`], until the writer
/// stops. Left to the writer, that copy ran inside a commit now and then and held up
/// every write waiting behind it; the writer's own automatic checkpoint stays, as a
/// backstop, and finds little left to do.
fn checkpoint(connection: Connection, stopped: std::sync::mpsc::Receiver<()>) {
    use std::sync::mpsc::RecvTimeoutError;
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(CHECKPOINT_EVERY) {
        let done = connection
            .prepare_cached("PRAGMA wal_checkpoint(PASSIVE)")
            .and_then(|mut statement| statement.raw_query().next().map(|_| ()));
        if let Err(error) = done {
            tracing::warn!(%error, "WAL checkpoint failed");
        }
    }
}

/// The writer's loop: take what has arrived (up to [`MOST_PER_COMMIT`]), run it in one
/// transaction, commit, answer. Nothing is answered before its commit.
fn write(path: PathBuf, mut connection: Connection, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MOST_PER_COMMIT);
    let mut ran = Vec::with_capacity(MOST_PER_COMMIT);
    while let Some(first) = queue.blocking_recv() {
        jobs.push(first);
        while jobs.len() < MOST_PER_COMMIT {
            let Ok(job) = queue.try_recv() else { break };
            jobs.push(job);
        }
        if let Err(error) = execute_cached(&connection, "BEGIN IMMEDIATE") {
            // Nothing ran (and nothing may run outside a transaction, or a write could
            // land while its caller hears it failed).
            tracing::error!(%error, "could not start a group of writes");
            let why = error.to_string();
            for job in jobs.drain(..) {
                let _ = job.reply.send(Err(why.clone()));
            }
            // The connection may be broken for good: the next group gets a fresh one.
            if let Ok(fresh) = open(&path) {
                connection = fresh;
            }
            continue;
        }
        let mut lost = None;
        for job in jobs.drain(..) {
            if lost.is_some() {
                let _ = job
                    .reply
                    .send(Err("not run: its group's transaction ended".into()));
                continue;
            }
            let outcome = run(&connection, &job.statement, job.want).map_err(|e| e.to_string());
            // Some errors (a full disk, say) end the transaction itself, not just the
            // statement: then nothing of the group is committed.
            if outcome.is_err() && connection.is_autocommit() {
                lost = Some("the transaction was rolled back".to_string());
            }
            ran.push((outcome, job.reply));
        }
        if lost.is_none() {
            if let Err(error) = execute_cached(&connection, "COMMIT") {
                tracing::error!(%error, "a group of writes did not commit");
                let _ = connection.execute_batch("ROLLBACK");
                lost = Some(error.to_string());
            }
        }
        for (outcome, reply) in ran.drain(..) {
            let answer = match &lost {
                None => outcome,
                Some(why) => Err(format!("not committed: {why}")),
            };
            let _ = reply.send(answer);
        }
    }
}

/// Runs a statement without values from the statement cache (`BEGIN`, `COMMIT`: once per
/// group, where preparing them anew showed in the profile).
fn execute_cached(connection: &Connection, sql: &str) -> rusqlite::Result<usize> {
    connection.prepare_cached(sql)?.raw_execute()
}

/// Runs one statement (a cached prepared one) with its values bound to its `$n`
/// placeholders.
fn run(connection: &Connection, statement: &Statement, want: Want) -> rusqlite::Result<Outcome> {
    let mut prepared = connection.prepare_cached(statement.sql)?;
    for index in 1..=prepared.parameter_count() {
        // `$3` takes the third value wherever it first appears in the text.
        let at = prepared
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$')?.parse::<usize>().ok())
            .unwrap_or(index);
        let value = statement.values.get(at.wrapping_sub(1)).ok_or(
            rusqlite::Error::InvalidParameterCount(at, statement.values.len()),
        )?;
        match value {
            Value::Int(value) => prepared.raw_bind_parameter(index, value)?,
            Value::Real(value) => prepared.raw_bind_parameter(index, value)?,
            Value::Text(value) => prepared.raw_bind_parameter(index, value.as_str())?,
            Value::Blob(value) => prepared.raw_bind_parameter(index, value.as_slice())?,
            Value::NullInt | Value::NullText => {
                prepared.raw_bind_parameter(index, rusqlite::types::Null)?
            }
        }
    }
    if want == Want::Changed {
        return Ok(Outcome::Changed(prepared.raw_execute()? as u64));
    }
    let names: Arc<[String]> = prepared
        .column_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut rows = prepared.raw_query();
    let mut returned = Vec::new();
    while let Some(row) = rows.next()? {
        let values = (0..names.len())
            .map(|at| {
                Ok(match row.get_ref(at)? {
                    ValueRef::Null => Value::NullInt,
                    ValueRef::Integer(value) => Value::Int(value),
                    ValueRef::Real(value) => Value::Real(value),
                    ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
                    ValueRef::Blob(blob) => Value::Blob(blob.to_vec()),
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        returned.push(Values {
            names: names.clone(),
            values,
        });
    }
    Ok(Outcome::Rows(returned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::writer_checks;
    use sqlx::{any::AnyPoolOptions, AnyPool, Executor};

    /// A WAL database with a table `t (k, v)`, a pool on it, and its file's path.
    async fn database() -> (tempfile::TempDir, PathBuf, AnyPool) {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .unwrap();
        pool.execute("PRAGMA journal_mode = WAL").await.unwrap();
        pool.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
            .await
            .unwrap();
        (dir, path, pool)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_commits_together_and_a_failed_statement_fails_alone() {
        let (_dir, path, pool) = database().await;
        let writer = Writer::start(&path).unwrap();
        let run = move |statement, want| {
            let writer = writer.clone();
            async move { writer.run(statement, want).await }
        };
        writer_checks::a_burst_with_failures_lands_all_but_the_failures(run, &pool).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn committed_pages_reach_the_database_file_without_the_writer() {
        let (_dir, path, _pool) = database().await;
        let writer = Writer::start(&path).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        for k in 0..2_000i64 {
            let row = Statement::new("INSERT INTO t (k, v) VALUES ($1, $2)")
                .bind(k)
                .bind("x".repeat(100));
            writer.run(row, Want::Changed).await.unwrap();
        }
        // Far below the automatic checkpoint's threshold: only the checkpoint thread
        // copies these pages from the WAL into the file.
        tokio::time::sleep(4 * CHECKPOINT_EVERY).await;
        let after = std::fs::metadata(&path).unwrap().len();
        assert!(after > before + 150_000, "{before} -> {after}");
    }
}
