//! How statements travel to a group-committing writer (SQLite's or PostgreSQL's), and
//! their answers back: a bounded queue of jobs, each with the way back to its caller.

use super::statement::{Outcome, Statement, Want};
use tokio::sync::{mpsc, oneshot};

/// A statement and where its answer goes (rows of the writer's kind `R`).
pub(super) struct Job<R> {
    pub statement: Statement,
    pub want: Want,
    pub reply: oneshot::Sender<Result<Outcome<R>, String>>,
}

/// The way to a writer (cheap to clone); its receiving end ends when the last clone goes.
pub(super) struct Jobs<R> {
    sender: mpsc::Sender<Job<R>>,
    /// What a caller hears once the writer is gone.
    stopped: &'static str,
}

impl<R> Clone for Jobs<R> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
            stopped: self.stopped,
        }
    }
}

impl<R> std::fmt::Debug for Jobs<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jobs")
            .field(
                "queued",
                &(self.sender.max_capacity() - self.sender.capacity()),
            )
            .finish()
    }
}

impl<R> Jobs<R> {
    /// A queue of up to `capacity` jobs, and the writer's end of it.
    pub fn new(capacity: usize, stopped: &'static str) -> (Self, mpsc::Receiver<Job<R>>) {
        let (sender, receiver) = mpsc::channel(capacity);
        (Self { sender, stopped }, receiver)
    }

    /// Queues `statement`; answers with what the writer answers (once it has committed).
    pub async fn run(&self, statement: Statement, want: Want) -> Result<Outcome<R>, String> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            statement,
            want,
            reply,
        };
        let stopped = || self.stopped.to_string();
        self.sender.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}
