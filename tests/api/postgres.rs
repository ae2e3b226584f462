//! A fresh PostgreSQL database per test, on the server at `TEST_DATABASE_URL`
//! (default: the local server on 127.0.0.1:5432). An unreachable server fails the test
//! with instructions: PostgreSQL is never skipped silently.

use sqlx::{Connection, Executor, PgConnection};

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that is dropped when this goes out of scope.
pub struct TestDatabase {
    pub url: String,
    name: String,
    admin_url: String,
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
}

async fn admin_connection(admin_url: &str) -> PgConnection {
    PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|error| {
            panic!(
                "PostgreSQL is unreachable at {admin_url}: {error}\n\
             The storage tests need it. Start it (Debian: `pg_ctlcluster --skip-systemctl-redirect \
             $(ls /etc/postgresql) main start`) or set TEST_DATABASE_URL to a server where this \
             user may create databases."
            )
        })
}

pub async fn fresh_database() -> TestDatabase {
    let admin_url = admin_url();
    let mut connection = admin_connection(&admin_url).await;
    let name = format!("t2fa_test_{:016x}", rand::random::<u64>());
    connection
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database");
    TestDatabase {
        url: format!("{base}/{name}"),
        name,
        admin_url,
    }
}

impl TestDatabase {
    /// Drops the database now, cutting off its connections (to simulate an outage).
    pub async fn drop_now(&self) {
        let mut connection = admin_connection(&self.admin_url).await;
        connection
            .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .expect("drop the test database");
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime: do the async cleanup on a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                if let Ok(mut connection) = PgConnection::connect(&admin_url).await {
                    let _ = connection
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            });
        })
        .join();
    }
}
