//! The dashboard's HTML: the login form, and the report as tables and SVG charts. Plain
//! server-rendered documents (no WASM), sharing the app's `<head>` basics and stylesheet.

use super::{
    chart::{country_chart, timeline_chart},
    report::Report,
};
use crate::{
    document::head_basics,
    server::{
        domain::{clock::utc_text, cost},
        store::activity::CountryTotals,
    },
};
use leptos::prelude::*;

/// The login form; `error` says why the last try failed.
pub(super) fn login(options: &LeptosOptions, app_name: &str, error: Option<&str>) -> String {
    let error = error.map(|error| {
        view! { <p class="field-error" id="token-error" role="alert">{error.to_string()}</p> }
    });
    let invalid = error.is_some().then_some("true");
    document(
        options,
        &format!("Operator sign-in · {app_name}"),
        view! {
            <main class="page">
                <section class="card">
                    <h1>"Operator sign-in"</h1>
                    <p class="lead">{format!("The {app_name} dashboard. Enter the ADMIN_TOKEN this server was started with.")}</p>
                    <form method="post" action="/admin/login">
                        <label for="token">"Admin token"</label>
                        <input type="password" id="token" name="token" required autocomplete="current-password"
                            aria-invalid=invalid aria-describedby=error.as_ref().map(|_| "token-error") />
                        {error}
                        <button type="submit">"Sign in"</button>
                    </form>
                </section>
            </main>
        },
    )
}

/// The dashboard.
pub(super) fn dashboard(
    options: &LeptosOptions,
    app_name: &str,
    report: &Report,
    min_ratio: f64,
    min_sends: u64,
) -> String {
    let hourly = timeline_chart(
        "Codes sent and verified per hour, last 24 hours",
        &report.hourly,
        |i| {
            utc_text(report.hourly.from + i as i64 * report.hourly.width_ms)[11..13].to_string()
                + "h"
        },
    );
    let daily = timeline_chart(
        "Codes sent and verified per day, last 7 days",
        &report.daily,
        |i| utc_text(report.daily.from + i as i64 * report.daily.width_ms)[5..10].to_string(),
    );
    let paused = if report.paused.is_empty() {
        view! { <p id="paused">"No country is paused."</p> }.into_any()
    } else {
        let rows = report
            .paused
            .iter()
            .map(|paused| view! { <li>{paused.country.clone()} " until " {utc_text(paused.until)}</li> })
            .collect_view();
        view! { <ul id="paused" class="alert">{rows}</ul> }.into_any()
    };
    let limits = report
        .limits
        .iter()
        .map(|setting| view! { <tr><th scope="row">{setting.name}</th><td>{setting.value.clone()}</td></tr> })
        .collect_view();
    let failures = if report.provider_failures.is_empty() {
        view! { <p>"None recorded."</p> }.into_any()
    } else {
        let rows = report
            .provider_failures
            .iter()
            .map(|failure| {
                let status = match failure.status {
                    0 => "no answer".to_string(),
                    status => status.to_string(),
                };
                view! {
                    <tr>
                        <td>{utc_text(failure.at)}</td>
                        <td>{failure.phone.clone()}</td>
                        <td>{status}</td>
                        <td>{failure.code.clone().unwrap_or_default()}</td>
                        <td>{failure.reason.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="data" id="provider-failures">
                <thead><tr><th scope="col">"When"</th><th scope="col">"To"</th><th scope="col">"HTTP"</th><th scope="col">"Code"</th><th scope="col">"What happened"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    document(
        options,
        &format!("Dashboard · {app_name}"),
        view! {
            <main class="page wide">
                <section class="card dashboard">
                    <div class="heading">
                        <h1>{format!("{app_name} dashboard")}</h1>
                        <form method="post" action="/admin/logout"><button type="submit" class="link">"Sign out"</button></form>
                    </div>
                    <p class="lead">{format!("As of {}. Numbers from the shared store: every instance shows the same.", utc_text(report.generated_at))}</p>

                    <h2>"Last 24 hours"</h2>
                    {countries("last-24h", &report.last_24h)}
                    {country_chart(&report.last_24h, min_ratio, min_sends)}
                    <p class="legend"><span class="key sent"></span>" sent "<span class="key verified"></span>" verified "<span class="key low"></span>" conversion below the guard's ratio (SMS pumping?)"</p>
                    {hourly}

                    <h2>"Last 7 days"</h2>
                    {countries("last-7d", &report.last_7d)}
                    {daily}

                    <h2>"Paused by the conversion guard"</h2>
                    {paused}

                    <h2>"Last 20 Telnyx errors"</h2>
                    {failures}

                    <h2>"Limits in force"</h2>
                    <table class="data" id="limits"><tbody>{limits}</tbody></table>
                </section>
            </main>
        },
    )
}

/// Per-country totals as a table (with a total row).
fn countries(id: &'static str, totals: &[CountryTotals]) -> impl IntoView {
    let all = totals.iter().fold(
        CountryTotals {
            country: "All".into(),
            ..CountryTotals::default()
        },
        |mut all, row| {
            all.sent += row.sent;
            all.delivered += row.delivered;
            all.failed += row.failed;
            all.verified += row.verified;
            all.cost_micros += row.cost_micros;
            if all.currency.is_none() {
                all.currency.clone_from(&row.currency);
            }
            all
        },
    );
    let row = |totals: &CountryTotals, class: Option<&'static str>| {
        let conversion = if totals.sent == 0 {
            "–".to_string()
        } else {
            format!(
                "{:.0}%",
                100.0 * totals.verified as f64 / totals.sent as f64
            )
        };
        let spend = totals.currency.as_deref().map_or_else(
            || "–".to_string(),
            |currency| cost::format(totals.cost_micros, currency),
        );
        view! {
            <tr class=class data-country=totals.country.clone()>
                <th scope="row">{totals.country.clone()}</th>
                <td class="sent">{totals.sent}</td>
                <td class="delivered">{totals.delivered}</td>
                <td class="failed">{totals.failed}</td>
                <td class="verified">{totals.verified}</td>
                <td class="conversion">{conversion}</td>
                <td class="spend">{spend}</td>
            </tr>
        }
    };
    let rows = totals.iter().map(|totals| row(totals, None)).collect_view();
    view! {
        <table class="data" id=id>
            <thead>
                <tr><th scope="col">"Country"</th><th scope="col">"Sent"</th><th scope="col">"Delivered"</th><th scope="col">"Failed"</th>
                    <th scope="col">"Verified"</th><th scope="col">"Conversion"</th><th scope="col">"Spend (Telnyx)"</th></tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>{row(&all, Some("total"))}</tfoot>
        </table>
    }
}

fn document(options: &LeptosOptions, title: &str, body: impl IntoView) -> String {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                {head_basics(options)}
                <meta name="robots" content="noindex" />
                <title>{title.to_string()}</title>
            </head>
            <body>{body}</body>
        </html>
    }
    .to_html()
}
