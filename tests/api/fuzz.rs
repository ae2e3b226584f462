//! Random and hostile input to both endpoints: always a 4xx with a clear error (or, for
//! input that happens to be a valid request, a success), never a 5xx or a crash.

use crate::helpers::*;
use rand::{rngs::StdRng, Rng, SeedableRng};

const HOSTILE: &[&str] = &[
    "",
    " ",
    "\0",
    "\u{202e}+1 212 555 0123",
    "+1 212 555 0123\r\nX-Injected: 1",
    "'; DROP TABLE codes; --",
    "\" OR 1=1 --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "%00%0a%0d",
    "+١٢١٢٥٥٥٠١٢٣",
    "＋１２１２５５５０１２３",
    "+1 212 555 0123 ext. 99999999999999999999",
    "99999999999999999999999999999999999999999999999999999",
    "-1",
    "NaN",
    "😀😀😀",
    "\u{feff}",
    "+",
    "++1212",
    "tel:+1-212-555-0123",
];

fn random_text(rng: &mut StdRng) -> String {
    let len = rng.random_range(0..80);
    (0..len)
        .map(|_| match rng.random_range(0..4) {
            0 => rng.random_range(b'0'..=b'9') as char,
            1 => rng.random_range(0x20u8..0x7f) as char,
            2 => char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('\u{fffd}'),
            _ => ['+', '(', ')', '-', ' ', '.', '#', '*'][rng.random_range(0..8)],
        })
        .collect()
}

async fn assert_clear_answer(response: reqwest::Response, what: &str) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert!(status < 500, "{what}: {status} {body}");
    if status >= 400 {
        let json: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|_| panic!("{what}: {status} {body}"));
        assert!(
            json["error"].is_string() && !json["message"].as_str().unwrap_or("").is_empty(),
            "{what}: {body}"
        );
    }
}

#[tokio::test]
async fn hostile_and_random_fields_get_clear_4xx_answers() {
    let app = spawn_app().await;
    let mut rng = StdRng::seed_from_u64(0x07e1_e2fa);
    let mut inputs: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    inputs.extend((0..150).map(|_| random_text(&mut rng)));
    inputs.push("9".repeat(10_000));

    for input in &inputs {
        assert_clear_answer(app.request_code(input).await, &format!("request {input:?}")).await;
        assert_clear_answer(
            app.verify_code(PHONE, input).await,
            &format!("verify code {input:?}"),
        )
        .await;
        assert_clear_answer(
            app.verify_code(input, "123456").await,
            &format!("verify phone {input:?}"),
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_bodies_get_clear_4xx_answers() {
    let app = spawn_app().await;
    let bodies: &[(&str, &[u8])] = &[
        ("application/x-www-form-urlencoded", b"phone=%ZZ"),
        ("application/x-www-form-urlencoded", b"phone"),
        ("application/x-www-form-urlencoded", b"=&=&&="),
        ("application/x-www-form-urlencoded", b"phone[]=1&phone[]=2"),
        ("application/x-www-form-urlencoded", b"\xff\xfe\xfd"),
        ("application/json", b"{\"phone\": \"+12125550123\""),
        ("text/plain", b"hello"),
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
    ];
    for path in ["/api/request-code", "/api/verify-code"] {
        for (content_type, body) in bodies {
            let response = app
                .client
                .post(format!("{}{path}", app.address))
                .header("content-type", *content_type)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            assert_clear_answer(response, &format!("{path} {content_type} {body:?}")).await;
        }
    }
}
