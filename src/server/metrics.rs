//! The process's Prometheus metrics: one registry per application (so apps started side
//! by side in tests count apart), typed handles for each metric, and the text exposition
//! of `GET /metrics`. Labels are closed sets (countries, outcomes, statuses, route
//! patterns): never a number, a code or anything a client typed.

use prometheus::{
    core::Collector, Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    Opts, Registry, TextEncoder,
};

const NAMESPACE: &str = "telnyx_2fa";

/// Latency buckets, in seconds: sub-millisecond pages up to a slow Telnyx.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Every metric the app exports. Cheap to clone: the handles share their values.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    codes_requested: IntCounterVec,
    codes_sent: IntCounterVec,
    verifications: IntCounterVec,
    limit_refusals: IntCounterVec,
    telnyx_responses: IntCounterVec,
    telnyx_retries: IntCounterVec,
    delivery_reports: IntCounterVec,
    api_key_requests: IntCounterVec,
    request_duration: HistogramVec,
    store_errors: IntCounter,
    pending_codes: IntGauge,
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let counter = IntCounterVec::new(Opts::new(name, help).namespace(NAMESPACE), labels)
        .expect("a valid metric definition");
    register(registry, &counter);
    counter
}

/// Adds `metric` to `registry`; the definitions below are fixed, so this can't fail.
fn register<M: Collector + Clone + 'static>(registry: &Registry, metric: &M) {
    registry
        .register(Box::new(metric.clone()))
        .expect("metric names are unique");
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let request_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer HTTP requests, by route pattern, method and status.",
            )
            .namespace(NAMESPACE)
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["endpoint", "method", "status"],
        )
        .expect("a valid metric definition");
        register(&registry, &request_duration);
        let store_errors = IntCounter::with_opts(
            Opts::new(
                "store_errors_total",
                "Store operations that failed (database unreachable, disk full, ...).",
            )
            .namespace(NAMESPACE),
        )
        .expect("a valid metric definition");
        register(&registry, &store_errors);
        let pending_codes = IntGauge::with_opts(
            Opts::new(
                "pending_codes",
                "Codes sent and neither used nor expired, across every instance (read at scrape).",
            )
            .namespace(NAMESPACE),
        )
        .expect("a valid metric definition");
        register(&registry, &pending_codes);
        Self {
            codes_requested: counter(
                &registry,
                "codes_requested_total",
                "Code requests, by destination country (ISO 3166 region, `unknown` when the \
                 number did not parse) and outcome: sent, send_unknown, send_failed, refused, \
                 invalid.",
                &["country", "outcome"],
            ),
            codes_sent: counter(
                &registry,
                "codes_sent_total",
                "Codes handed to the SMS provider (or possibly handed: a timeout), by destination country.",
                &["country"],
            ),
            verifications: counter(
                &registry,
                "verifications_total",
                "Code checks, by outcome: verified, wrong_code, expired, too_many_attempts, \
                 no_pending_code, already_used, invalid_code, refused.",
                &["outcome"],
            ),
            limit_refusals: counter(
                &registry,
                "limit_refusals_total",
                "Requests refused by an abuse limit, by limit.",
                &["limit"],
            ),
            telnyx_responses: counter(
                &registry,
                "telnyx_responses_total",
                "Answers from the Telnyx API, each try counted: HTTP status (or timeout, \
                 transport) and Telnyx error code (empty on success).",
                &["status", "code"],
            ),
            telnyx_retries: counter(
                &registry,
                "telnyx_retries_total",
                "Sends tried again, by reason: rate_limited, gateway, connect.",
                &["reason"],
            ),
            delivery_reports: counter(
                &registry,
                "delivery_reports_total",
                "Delivery statuses reported by Telnyx's webhooks (and the dev outbox's simulation).",
                &["status"],
            ),
            api_key_requests: counter(
                &registry,
                "api_key_requests_total",
                "API calls made with a key (API_KEYS), by the key's name.",
                &["key"],
            ),
            request_duration,
            store_errors,
            pending_codes,
            registry,
        }
    }

    /// One code request ended with `outcome` for a number in `country`.
    pub fn code_requested(&self, country: &str, outcome: &str) {
        self.codes_requested
            .with_label_values(&[country, outcome])
            .inc();
        if matches!(outcome, "sent" | "send_unknown") {
            self.codes_sent.with_label_values(&[country]).inc();
        }
    }

    pub fn verification(&self, outcome: &str) {
        self.verifications.with_label_values(&[outcome]).inc();
    }

    pub fn limit_refusal(&self, limit: &str) {
        self.limit_refusals.with_label_values(&[limit]).inc();
    }

    /// One answer (or none: `timeout`, `transport`) from Telnyx.
    pub fn telnyx_response(&self, status: &str, code: &str) {
        self.telnyx_responses
            .with_label_values(&[status, code])
            .inc();
    }

    pub fn telnyx_retry(&self, reason: &str) {
        self.telnyx_retries.with_label_values(&[reason]).inc();
    }

    pub fn delivery_report(&self, status: &str) {
        self.delivery_reports.with_label_values(&[status]).inc();
    }

    pub fn api_key_request(&self, key: &str) {
        self.api_key_requests.with_label_values(&[key]).inc();
    }

    pub fn request_finished(&self, endpoint: &str, method: &str, status: u16, seconds: f64) {
        self.request_duration
            .with_label_values(&[endpoint, method, &status.to_string()])
            .observe(seconds);
    }

    pub fn store_error(&self) {
        self.store_errors.inc();
    }

    /// The exposition text, with `pending_codes` set to `pending` (read from the store).
    pub fn render(&self, pending: Option<u64>) -> String {
        if let Some(pending) = pending {
            self.pending_codes
                .set(i64::try_from(pending).unwrap_or(i64::MAX));
        }
        let mut text = Vec::new();
        // Encoding into a Vec fails only on a metric family with no metrics, which
        // `gather` never returns.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut text);
        String::from_utf8(text).unwrap_or_default()
    }
}

/// The exposition format's content type.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_appear_in_the_exposition_with_their_labels() {
        let metrics = Metrics::new();
        metrics.code_requested("US", "sent");
        metrics.code_requested("US", "sent");
        metrics.code_requested("unknown", "invalid");
        metrics.verification("verified");
        metrics.request_finished("/api/request-code", "POST", 200, 0.003);
        let text = metrics.render(Some(7));
        assert!(
            text.contains(r#"telnyx_2fa_codes_requested_total{country="US",outcome="sent"} 2"#),
            "{text}"
        );
        assert!(text.contains(r#"telnyx_2fa_codes_sent_total{country="US"} 2"#));
        assert!(!text.contains(r#"telnyx_2fa_codes_sent_total{country="unknown"}"#));
        assert!(text.contains(r#"telnyx_2fa_verifications_total{outcome="verified"} 1"#));
        assert!(text.contains("telnyx_2fa_pending_codes 7"));
        assert!(text.contains(
            r#"telnyx_2fa_http_request_duration_seconds_count{endpoint="/api/request-code",method="POST",status="200"} 1"#
        ));
    }

    #[test]
    fn two_apps_count_apart() {
        let (one, two) = (Metrics::new(), Metrics::new());
        one.verification("verified");
        assert!(!two.render(None).contains(r#"outcome="verified""#));
    }
}
