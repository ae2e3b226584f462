//! `make bench`: the app under load, next to a minimal reference server measured in the
//! same run, so every figure is also a ratio to what this machine allows.
//!
//! In one process: a Telnyx stand-in (`POST /v2/messages`, with a configurable latency;
//! it keeps each number's code, as a phone would) and the load generator (request-code
//! for N distinct numbers, then verify-code with the codes the stand-in received).
//! In their own processes: the reference server (this binary run with `--reference`: the
//! same wire contract, a HashMap, nothing else) and the real app (the release binary),
//! on SQLite, PostgreSQL (one and two instances), and SQLite with its default limits on.
//! The table goes to standard output and to `BENCHMARKS.md`.
//!
//! Options: `--quick` (fewer requests), `--requests N` (N calls at C=64, up to 20,000: steadier
//! figures), `--only sqlite,reference,...`; `BENCH_APP_X=y` in
//! the environment sets `X=y` for the app (to try settings).

use axum::{extract::State, routing::post, Form, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    fmt::Write as _,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

const API_KEY: &str = "bench-key";

/// Calls of each kind a server answers before it is measured.
const WARM_UP: usize = 1_000;

/// The Telnyx stand-in: each number's latest code, and the latency to answer with.
#[derive(Default)]
struct StandIn {
    codes: Mutex<HashMap<String, String>>,
    latency_ms: AtomicUsize,
    sent: AtomicUsize,
}

async fn messages(State(stand_in): State<Arc<StandIn>>, Json(body): Json<Value>) -> Json<Value> {
    let latency = stand_in.latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency as u64)).await;
    }
    let to = body["to"].as_str().unwrap_or_default().to_string();
    let text = body["text"].as_str().unwrap_or_default();
    let code = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|word| word.len() == 6 && word.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_default()
        .to_string();
    stand_in.codes.lock().unwrap().insert(to, code);
    let n = stand_in.sent.fetch_add(1, Ordering::Relaxed);
    Json(
        json!({"data": {"record_type": "message", "id": format!("bench-{n}"),
        "to": [{"phone_number": body["to"], "status": "queued"}], "cost": null}}),
    )
}

// ---- the reference server: the same wire contract, a HashMap, nothing else ----

#[derive(Deserialize)]
struct RequestForm {
    phone: String,
}

#[derive(Deserialize)]
struct VerifyForm {
    code: String,
    verification_id: String,
}

struct Reference {
    telnyx: String,
    http: reqwest::Client,
    codes: Mutex<HashMap<String, (String, String)>>,
}

async fn reference_request(
    State(server): State<Arc<Reference>>,
    Form(form): Form<RequestForm>,
) -> (axum::http::StatusCode, Json<Value>) {
    let digits: String = form.phone.chars().filter(char::is_ascii_digit).collect();
    let phone = format!("+{digits}");
    let code = format!("{:06}", rand::random::<u32>() % 1_000_000);
    let sent = server
        .http
        .post(&server.telnyx)
        .bearer_auth(API_KEY)
        .json(&json!({"to": phone, "from": "+15550001111",
            "text": format!("Your code is {code}. It expires in 10 minutes.")}))
        .send()
        .await;
    if !sent.is_ok_and(|answer| answer.status().is_success()) {
        return (
            axum::http::StatusCode::BAD_GATEWAY,
            Json(json!({"error": "sms_failed"})),
        );
    }
    let id = format!("{:032x}", rand::random::<u128>());
    server
        .codes
        .lock()
        .unwrap()
        .insert(id.clone(), (phone.clone(), code));
    let body = json!({"verification_id": id, "phone": phone, "masked_phone": phone,
        "expires_in_seconds": 600});
    (axum::http::StatusCode::OK, Json(body))
}

async fn reference_verify(
    State(server): State<Arc<Reference>>,
    Form(form): Form<VerifyForm>,
) -> (axum::http::StatusCode, Json<Value>) {
    let mut codes = server.codes.lock().unwrap();
    match codes.get(&form.verification_id) {
        Some((phone, code)) if *code == form.code => {
            let phone = phone.clone();
            codes.remove(&form.verification_id);
            (
                axum::http::StatusCode::OK,
                Json(json!({"phone": phone, "masked_phone": phone})),
            )
        }
        _ => (
            axum::http::StatusCode::UNAUTHORIZED,
            Json(json!({"error": "wrong_code"})),
        ),
    }
}

fn run_reference(port: u16, telnyx: String) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let server = Arc::new(Reference {
            telnyx,
            http: reqwest::Client::new(),
            codes: Mutex::default(),
        });
        let app = Router::new()
            .route("/api/request-code", post(reference_request))
            .route("/api/verify-code", post(reference_verify))
            .with_state(server);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        axum::serve(listener, app).await.unwrap();
    });
}

// ---- the load generator ----

#[derive(Clone, Copy, PartialEq)]
enum Endpoint {
    Request,
    Verify,
}

struct Figures {
    per_second: f64,
    /// CPU time the server's processes spent per answered call, in µs (user + system).
    server_cpu_us: f64,
    /// CPU time PostgreSQL's own processes spent per answered call, in µs (`None`: the
    /// setup has no database server; SQLite's work is in the server's figure).
    database_cpu_us: Option<f64>,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

fn number(index: usize) -> String {
    const AREAS: [u16; 12] = [212, 646, 718, 917, 347, 929, 312, 415, 617, 202, 305, 213];
    let area = AREAS[index / 10_000 % AREAS.len()];
    format!("+1{area}555{:04}", index % 10_000)
}

/// One server setup under load: where to send, how, and what request-code answered.
struct Target<'a> {
    client: &'a reqwest::Client,
    /// The instances, called in turn.
    urls: &'a [String],
    /// Calls carry the API key and an end-user `client_ip` (for the per-IP limits).
    keyed: bool,
    stand_in: &'a Arc<StandIn>,
    /// Each number's verification, from request-code, for verify-code.
    verifications: Arc<Mutex<HashMap<usize, String>>>,
}

/// The load generator's HTTP client: a connection kept per concurrent caller.
fn load_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(2048)
        .build()
        .unwrap()
}

/// Runs `total` calls of `endpoint` with `concurrency` workers, on the numbers from
/// `offset` on.
async fn load(
    target: &Target<'_>,
    endpoint: Endpoint,
    total: usize,
    concurrency: usize,
    offset: usize,
) -> Figures {
    let Target {
        client,
        urls: targets,
        keyed,
        stand_in,
        verifications,
    } = target;
    let keyed = *keyed;
    let next = Arc::new(AtomicUsize::new(0));
    // The first failed call of the run is shown (stderr), so a failure can be told apart.
    let told = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, targets, next) = ((*client).clone(), targets.to_vec(), next.clone());
        let told = told.clone();
        let (stand_in, verifications) = ((*stand_in).clone(), verifications.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let index = offset + i;
                let target = &targets[i % targets.len()];
                let phone = number(index);
                let mut form: Vec<(&str, String)> = Vec::new();
                let path = match endpoint {
                    Endpoint::Request => {
                        form.push(("phone", phone.clone()));
                        "request-code"
                    }
                    Endpoint::Verify => {
                        let code = stand_in.codes.lock().unwrap().get(&phone).cloned();
                        let id = verifications.lock().unwrap().get(&index).cloned();
                        let (Some(code), Some(id)) = (code, id) else {
                            errors += 1;
                            continue;
                        };
                        form.push(("code", code));
                        form.push(("verification_id", id));
                        "verify-code"
                    }
                };
                let mut call = client.post(format!("{target}/api/{path}"));
                if keyed {
                    // Each end user has an address of their own (the per-IP limits).
                    form.push((
                        "client_ip",
                        format!(
                            "10.{}.{}.{}",
                            index >> 16 & 255,
                            index >> 8 & 255,
                            index & 255
                        ),
                    ));
                    call = call.bearer_auth(API_KEY);
                }
                let began = Instant::now();
                let answer = call.form(&form).send().await;
                let ok = match answer {
                    Ok(answer) if answer.status().is_success() => {
                        if endpoint == Endpoint::Request {
                            let body: Value = answer.json().await.unwrap_or_default();
                            if let Some(id) = body["verification_id"].as_str() {
                                verifications.lock().unwrap().insert(index, id.to_string());
                            }
                        } else {
                            let _ = answer.bytes().await;
                        }
                        true
                    }
                    Ok(answer) => {
                        let status = answer.status();
                        let body = answer.text().await.unwrap_or_default();
                        if !told.swap(true, Ordering::Relaxed) {
                            eprintln!("   first failure: {path} answered {status}: {body}");
                        }
                        false
                    }
                    Err(error) => {
                        if !told.swap(true, Ordering::Relaxed) {
                            eprintln!("   first failure: {path}: {error}");
                        }
                        false
                    }
                };
                latencies.push(began.elapsed());
                errors += usize::from(!ok);
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mine, failed) = worker.await.unwrap();
        latencies.extend(mine);
        errors += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Figures {
        per_second: (total - errors) as f64 / elapsed,
        server_cpu_us: 0.0,
        database_cpu_us: None,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        errors,
    }
}

// ---- the servers under test ----

struct Servers {
    children: Vec<Child>,
    urls: Vec<String>,
    /// How each app instance was started (to start it again on the same data).
    commands: Vec<Command>,
    _data: Vec<tempfile::TempDir>,
    /// The PostgreSQL database made for this setup, dropped after it.
    database: Option<String>,
}

impl Servers {
    /// Stops the first instance and starts it again on the same data (its migrations
    /// done): the time from `exec` to its first answer.
    async fn restart_first(&mut self) -> Duration {
        let _ = self.children[0].kill();
        let _ = self.children[0].wait();
        let address = self.urls[0].trim_start_matches("http://").to_string();
        let started = Instant::now();
        self.children[0] = self.commands[0].spawn().unwrap();
        loop {
            if tokio::net::TcpStream::connect(&address).await.is_ok() {
                return started.elapsed();
            }
            if started.elapsed() > Duration::from_secs(10) {
                panic!("the app did not start again");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(name) = self.database.take() {
            // A thread of its own: this may run inside the runtime.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(drop_postgres(&name));
            })
            .join();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_until_up(url: &str, path: &str) {
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(format!("{url}{path}")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} did not start");
}

#[derive(Clone, Copy, PartialEq)]
enum Setup {
    Reference,
    Sqlite,
    SqliteLimitsOn,
    Postgres,
    PostgresTwo,
}

impl Setup {
    fn name(self) -> &'static str {
        match self {
            Setup::Reference => "reference",
            Setup::Sqlite => "sqlite",
            Setup::SqliteLimitsOn => "sqlite-limits-on",
            Setup::Postgres => "postgres",
            Setup::PostgresTwo => "postgres-x2",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Setup::Reference => "minimal reference server",
            Setup::Sqlite => "app, SQLite (default)",
            Setup::SqliteLimitsOn => "app, SQLite, default limits on",
            Setup::Postgres => "app, PostgreSQL",
            Setup::PostgresTwo => "app, PostgreSQL, 2 instances",
        }
    }
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A new database: its URL and name.
async fn fresh_postgres() -> (String, String) {
    use sqlx::{Connection, Executor, PgConnection};
    let admin = postgres_admin_url();
    let mut connection = PgConnection::connect(&admin)
        .await
        .expect("PostgreSQL on 127.0.0.1:5432");
    let name = format!("t2fa_bench_{:08x}", rand::random::<u32>());
    connection
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    (format!("{base}/{name}"), name)
}

async fn drop_postgres(name: &str) {
    use sqlx::{Connection, Executor, PgConnection};
    if let Ok(mut connection) = PgConnection::connect(&postgres_admin_url()).await {
        let _ = connection
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}

/// The verify-code workload's name (the ceiling is set against the reference's figure).
const VERIFY_AT_64: &str = "verify-code, C=64";

/// Statements in each of the ceiling's transactions (the app's groups hold about as many).
const CEILING_GROUP: usize = 25;

/// What PostgreSQL itself allows on this machine, with no app in the way: indexed
/// `UPDATE … RETURNING`s by primary key (the shape of verify-code's statements), each
/// transaction [`CEILING_GROUP`] of them, from four connections for `seconds`. Answers
/// statements per second.
async fn postgres_ceiling(seconds: u64) -> f64 {
    use sqlx::{Connection, Executor, PgConnection};
    const ROWS: i64 = 100_000;
    let (url, name) = fresh_postgres().await;
    let mut setup = PgConnection::connect(&url).await.unwrap();
    let table = format!(
        "CREATE TABLE c (id BIGINT PRIMARY KEY, k TEXT UNIQUE, attempts INT NOT NULL DEFAULT 0); \
         INSERT INTO c (id, k) SELECT g, md5(g::text) FROM generate_series(1, {ROWS}) g"
    );
    setup.execute(table.as_str()).await.unwrap();
    let until = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let mut connection = PgConnection::connect(&url).await.unwrap();
                let mut statements = 0usize;
                while Instant::now() < until {
                    let mut transaction = connection.begin().await.unwrap();
                    for _ in 0..CEILING_GROUP {
                        let id = 1 + rand::random::<u32>() as i64 % ROWS;
                        sqlx::query(
                            "UPDATE c SET attempts = attempts + 1 WHERE id = $1 \
                             RETURNING id, k, attempts",
                        )
                        .bind(id)
                        .fetch_optional(&mut *transaction)
                        .await
                        .unwrap();
                    }
                    transaction.commit().await.unwrap();
                    statements += CEILING_GROUP;
                }
                statements
            })
        })
        .collect();
    let mut statements = 0;
    for worker in workers {
        statements += worker.await.unwrap();
    }
    let rate = statements as f64 / began.elapsed().as_secs_f64();
    drop(setup);
    drop_postgres(&name).await;
    rate
}

async fn start(setup: Setup, telnyx: &str) -> Servers {
    let exe = std::env::current_exe().unwrap();
    let mut servers = Servers {
        children: vec![],
        urls: vec![],
        commands: vec![],
        _data: vec![],
        database: None,
    };
    if setup == Setup::Reference {
        let port = free_port();
        let child = Command::new(exe)
            .args([
                "--reference",
                &port.to_string(),
                &format!("{telnyx}/v2/messages"),
            ])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        servers.children.push(child);
        servers.urls.push(format!("http://127.0.0.1:{port}"));
        wait_until_up(&servers.urls[0], "/").await;
        return servers;
    }
    let app = std::env::var("T2FA_BINARY").unwrap_or_else(|_| "target/release/telnyx-2fa".into());
    let database = match setup {
        Setup::Postgres | Setup::PostgresTwo => Some(fresh_postgres().await),
        _ => None,
    };
    let data = tempfile::tempdir().unwrap();
    let secret = "ab".repeat(32);
    let instances = if setup == Setup::PostgresTwo { 2 } else { 1 };
    for _ in 0..instances {
        let port = free_port();
        let mut command = Command::new(&app);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("DATA_DIR", data.path())
            .env("SECRET_KEY", &secret)
            .env("CONFIG_FILE", "end2end/empty-config.toml")
            .env("TELNYX_API_KEY", API_KEY)
            .env("TELNYX_FROM_NUMBER", "+15550001111")
            .env("TELNYX_API_BASE", telnyx)
            .env("MAX_CONCURRENT_REQUESTS", "4096")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((url, _)) = &database {
            command.env("DATABASE_URL", url);
        }
        // Experiments: `BENCH_APP_X=y` reaches the app as `X=y`.
        for (key, value) in std::env::vars() {
            if let Some(key) = key.strip_prefix("BENCH_APP_") {
                command.env(key, value);
            }
        }
        if setup == Setup::SqliteLimitsOn {
            // Every limit on, as deployed; the volume caps raised above the run's size,
            // and each request from its own end-user address (an API key's client_ip).
            command
                .env("API_KEYS", format!("bench:{API_KEY}"))
                .env("SENDS_PER_COUNTRY_PER_HOUR", "1000000")
                .env("SENDS_PER_COUNTRY_PER_DAY", "1000000")
                .env("SENDS_PER_HOUR", "1000000")
                .env("SENDS_PER_DAY", "1000000");
        } else {
            for (key, value) in telnyx_2fa::server::config::LIMITS_OFF {
                command.env(key, value);
            }
        }
        servers.children.push(
            command
                .spawn()
                .expect("the app's release binary (make bench builds it)"),
        );
        servers.commands.push(command);
        servers.urls.push(format!("http://127.0.0.1:{port}"));
    }
    for url in &servers.urls {
        wait_until_up(url, "/livez").await;
    }
    servers._data.push(data);
    servers.database = database.map(|(_, name)| name);
    servers
}

/// CPU time (user + system) the process `pid` has used so far, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // The fields after the command name (which may hold spaces), from `state` on:
            // utime and stime are the 12th and 13th of them, in clock ticks.
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks =
                fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// CPU seconds used so far by the processes named `postgres` (the server and its
/// backends, whoever runs them); a backend that exits takes its share with it, so the
/// pool's connections are kept open across a workload.
fn postgres_cpu() -> f64 {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    processes
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim_end() == "postgres")
        })
        .map(cpu_seconds)
        .sum()
}

fn rss_mb(child: &Child) -> f64 {
    std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Row {
    workload: &'static str,
    setup: Setup,
    figures: Figures,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|arg| arg == "--reference") {
        run_reference(args[at + 1].parse().unwrap(), args[at + 2].clone());
        return;
    }
    let quick = args.iter().any(|arg| arg == "--quick");
    let only: Option<Vec<String>> = args
        .iter()
        .position(|arg| arg == "--only")
        .map(|at| args[at + 1].split(',').map(str::to_string).collect());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let requests: Option<usize> = args
        .iter()
        .position(|arg| arg == "--requests")
        .and_then(|at| args.get(at + 1)?.parse().ok())
        .map(|n: usize| n.clamp(WARM_UP, 20_000));
    runtime.block_on(bench(quick, only, requests));
}

/// `requests`: how many calls at C=64 (twice as many at C=1000) instead of 6,000.
async fn bench(quick: bool, only: Option<Vec<String>>, requests: Option<usize>) {
    let stand_in = Arc::new(StandIn::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let telnyx = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/v2/messages", post(messages))
        .with_state(stand_in.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (small, large) = match (requests, quick) {
        (Some(n), _) => (n, 2 * n),
        (None, true) => (1_500, 3_000),
        (None, false) => (6_000, 12_000),
    };
    let client = load_client();
    let setups = [
        Setup::Reference,
        Setup::Sqlite,
        Setup::SqliteLimitsOn,
        Setup::Postgres,
        Setup::PostgresTwo,
    ];
    let mut rows: Vec<Row> = Vec::new();
    let mut extras: Vec<String> = Vec::new();
    for (n, setup) in setups.into_iter().enumerate() {
        if only
            .as_ref()
            .is_some_and(|only| !only.iter().any(|name| name == setup.name()))
        {
            continue;
        }
        eprintln!("== {}", setup.label());
        let mut servers = start(setup, &telnyx).await;
        let target = Target {
            client: &client,
            urls: &servers.urls,
            keyed: setup == Setup::SqliteLimitsOn,
            stand_in: &stand_in,
            verifications: Arc::default(),
        };
        let base = n * 100_000;
        // Warm-up, not measured: every server first answers a round of both calls (its
        // connections opened, caches and lazily built tables filled), so the figures are
        // its steady state rather than its first second.
        for endpoint in [Endpoint::Request, Endpoint::Verify] {
            load(&target, endpoint, WARM_UP, 64, base + 95_000).await;
        }
        let workloads = [
            (
                "request-code, C=64, Telnyx 0 ms",
                Endpoint::Request,
                0,
                small,
                64,
                base,
            ),
            (VERIFY_AT_64, Endpoint::Verify, 0, small, 64, base),
            (
                "request-code, C=1000, Telnyx 250 ms",
                Endpoint::Request,
                250,
                large,
                1000,
                base + 50_000,
            ),
        ];
        for (workload, endpoint, latency, total, concurrency, offset) in workloads {
            stand_in.latency_ms.store(latency, Ordering::Relaxed);
            let server_cpu = || {
                servers
                    .children
                    .iter()
                    .map(|c| cpu_seconds(c.id()))
                    .sum::<f64>()
            };
            let uses_postgres = matches!(setup, Setup::Postgres | Setup::PostgresTwo);
            let (cpu_before, own_before, database_before) = (
                server_cpu(),
                cpu_seconds(std::process::id()),
                postgres_cpu(),
            );
            let mut figures = load(&target, endpoint, total, concurrency, offset).await;
            let answered = (total - figures.errors).max(1) as f64;
            figures.server_cpu_us = (server_cpu() - cpu_before) * 1e6 / answered;
            figures.database_cpu_us =
                uses_postgres.then(|| (postgres_cpu() - database_before).max(0.0) * 1e6 / answered);
            eprintln!(
                "   {workload}: {:.0}/s; CPU per call: server {:.0} µs, load generator and stand-in {:.0} µs",
                figures.per_second,
                figures.server_cpu_us,
                (cpu_seconds(std::process::id()) - own_before) * 1e6 / answered
            );
            if let Some(app) = servers
                .children
                .first()
                .filter(|_| setup != Setup::Reference)
            {
                eprintln!("   {workload}: app RSS {:.0} MB", rss_mb(app));
            }
            rows.push(Row {
                workload,
                setup,
                figures,
            });
        }
        if setup == Setup::Sqlite {
            extras.push(format!(
                "app RSS after {} codes: {:.0} MB",
                small + large,
                rss_mb(&servers.children[0])
            ));
            // Many codes pending (the large run's are; more on top), then the start of a
            // new process on the same database, and its memory after ordinary traffic.
            let pending = if quick { 30_000 } else { 100_000 };
            stand_in.latency_ms.store(0, Ordering::Relaxed);
            let more = load(
                &target,
                Endpoint::Request,
                pending - large,
                64,
                base + 62_000,
            )
            .await;
            extras.push(format!(
                "app RSS with {pending} codes pending, after the C=1000 burst: {:.0} MB ({} errors filling)",
                rss_mb(&servers.children[0]),
                more.errors
            ));
            drop(target);
            let start = servers.restart_first().await;
            extras.push(format!(
                "app start to listening (SQLite, migrations done, {pending} codes stored): {:.0} ms",
                start.as_secs_f64() * 1000.0
            ));
            // A client of its own: the shared one keeps connections to the stopped
            // process, and a call on one fails.
            let fresh = load_client();
            let target = Target {
                client: &fresh,
                urls: &servers.urls,
                keyed: false,
                stand_in: &stand_in,
                verifications: Arc::default(),
            };
            let traffic = load(
                &target,
                Endpoint::Request,
                small,
                64,
                base + 62_000 + pending,
            )
            .await;
            extras.push(format!(
                "app RSS with {} codes pending, after {small} requests at C=64 (a fresh process): {:.0} MB ({} errors)",
                pending + small,
                rss_mb(&servers.children[0]),
                traffic.errors
            ));
        }
        drop(servers);
        if setup == Setup::Postgres {
            let ceiling = postgres_ceiling(if quick { 3 } else { 8 }).await;
            let reference = rows
                .iter()
                .find(|row| row.setup == Setup::Reference && row.workload == VERIFY_AT_64)
                .map(|row| row.figures.per_second);
            extras.push(format!(
                "PostgreSQL's own ceiling here, no app in the way: {ceiling:.0} indexed `UPDATE … RETURNING`s per second \
                 ({CEILING_GROUP} per transaction, 4 connections, every core){}",
                reference.map_or(String::new(), |reference| format!(
                    "; that is {:.0}% of the reference's verify-code calls per second, for one statement per call",
                    100.0 * ceiling / reference
                ))
            ));
        }
    }

    let mut table = String::new();
    let _ = writeln!(
        table,
        "| workload | server | requests/s | ratio to reference | p50 ms | p99 ms | errors | server CPU per call | database CPU per call |"
    );
    let _ = writeln!(table, "|---|---|---|---|---|---|---|---|---|");
    for row in &rows {
        let reference = rows
            .iter()
            .find(|other| other.workload == row.workload && other.setup == Setup::Reference)
            .map(|other| other.figures.per_second);
        let ratio = reference.map_or("-".to_string(), |reference| {
            format!("{:.0}%", 100.0 * row.figures.per_second / reference)
        });
        let _ = writeln!(
            table,
            "| {} | {} | {:.0} | {} | {:.1} | {:.1} | {} | {:.0} µs | {} |",
            row.workload,
            row.setup.label(),
            row.figures.per_second,
            ratio,
            row.figures.p50_ms,
            row.figures.p99_ms,
            row.figures.errors,
            row.figures.server_cpu_us,
            row.figures
                .database_cpu_us
                .map_or("-".to_string(), |us| format!("{us:.0} µs"))
        );
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let report = format!(
        "# Benchmarks\n\nMeasured by `make bench` (`benches/load.rs`){}: the load generator, the Telnyx stand-in, \
         the reference server and the app all on this machine ({cores} cores, {cpu}), over loopback. \
         Figures drift between runs on shared machines; the ratios to the reference server, measured in \
         the same run, are what to compare. CPU per call is user and system time per answered call: \
         the server's own processes, and for PostgreSQL the database server's.\n\n{table}\n{}\n",
        match (requests, quick) {
            (Some(n), _) => format!(" with `--requests {n}`"),
            (None, true) => " with `--quick`".to_string(),
            (None, false) => String::new(),
        },
        extras.join("\n")
    );
    println!("{report}");
    if only.is_none() && requests.is_none() {
        std::fs::write("BENCHMARKS.md", &report).unwrap();
    }
}
