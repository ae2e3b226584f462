//! The dashboard's charts, drawn on the server as inline SVG: no script, no external
//! asset, nothing the page's Content-Security-Policy has to allow. Colours come from the
//! stylesheet's classes, so light and dark themes both apply.

use super::report::Timeline;
use crate::server::store::activity::CountryTotals;
use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 170.0;
/// Room under the bars for their labels.
const AXIS: f64 = 22.0;

/// Sent and verified codes per slot of `timeline`, each bar labelled by `label`.
pub(super) fn timeline_chart(
    title: &str,
    timeline: &Timeline,
    label: impl Fn(usize) -> String,
) -> impl IntoView {
    let highest = timeline
        .slots
        .iter()
        .map(|slot| slot.sent)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let count = timeline.slots.len().max(1) as f64;
    let step = WIDTH / count;
    let plot = HEIGHT - AXIS;
    // Every label when they fit; else every third.
    let label_every = if count > 12.0 { 3 } else { 1 };
    let bars = timeline
        .slots
        .iter()
        .enumerate()
        .map(|(index, slot)| {
            let x = index as f64 * step;
            let sent_height = plot * slot.sent as f64 / highest;
            let verified_height = plot * slot.verified as f64 / highest;
            let tip = format!("{}: {} sent, {} verified", label(index), slot.sent, slot.verified);
            let text = (index % label_every == 0).then(|| {
                view! {
                    <text class="axis" x=format!("{:.1}", x + step / 2.0) y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle">
                        {label(index)}
                    </text>
                }
            });
            view! {
                <g class="slot">
                    <title>{tip}</title>
                    <rect class="sent" x=format!("{:.1}", x + step * 0.1) y=format!("{:.1}", plot - sent_height)
                        width=format!("{:.1}", step * 0.8) height=format!("{:.1}", sent_height) />
                    <rect class="verified" x=format!("{:.1}", x + step * 0.25) y=format!("{:.1}", plot - verified_height)
                        width=format!("{:.1}", step * 0.5) height=format!("{:.1}", verified_height) />
                    {text}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title.to_string()>
            <line class="baseline" x1="0" y1=format!("{plot:.1}") x2=format!("{WIDTH}") y2=format!("{plot:.1}") />
            {bars}
        </svg>
    }
}

/// One bar per country (most sent first): its length is the codes sent, its filled part
/// the share verified. Countries converting below `min_ratio` (with at least
/// `min_sends` sent) are marked: that is what SMS pumping looks like.
pub(super) fn country_chart(
    totals: &[CountryTotals],
    min_ratio: f64,
    min_sends: u64,
) -> impl IntoView {
    const ROW: f64 = 22.0;
    const NAME: f64 = 48.0;
    let shown = &totals[..totals.len().min(15)];
    let highest = shown.iter().map(|t| t.sent).max().unwrap_or(0).max(1) as f64;
    let height = ROW * shown.len().max(1) as f64;
    let room = WIDTH - NAME - 150.0;
    let rows = shown
        .iter()
        .enumerate()
        .map(|(index, totals)| {
            let y = index as f64 * ROW;
            let sent_width = room * totals.sent as f64 / highest;
            let verified_width = room * totals.verified as f64 / highest;
            let ratio = totals.verified as f64 / totals.sent.max(1) as f64;
            let suspicious = totals.sent >= min_sends.max(1) && ratio < min_ratio;
            let class = if suspicious { "country low" } else { "country" };
            view! {
                <g class=class>
                    <text class="axis" x="0" y=format!("{:.1}", y + 15.0)>{totals.country.clone()}</text>
                    <rect class="sent" x=format!("{NAME}") y=format!("{:.1}", y + 3.0)
                        width=format!("{sent_width:.1}") height="16" />
                    <rect class="verified" x=format!("{NAME}") y=format!("{:.1}", y + 3.0)
                        width=format!("{verified_width:.1}") height="16" />
                    <text class="axis" x=format!("{:.1}", NAME + sent_width + 6.0) y=format!("{:.1}", y + 15.0)>
                        {format!("{} sent, {:.0}% verified", totals.sent, ratio * 100.0)}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img"
            aria-label="Codes sent per country in the last 24 hours, and the share verified">
            {rows}
        </svg>
    }
}
