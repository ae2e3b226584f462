import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { FAKE_TELNYX } from '../playwright.config';

/**
 * Waits until the code page's island is live (it sets this marker once hydrated). The
 * other pages ship no WASM: there is nothing to wait for.
 */
export async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

/**
 * The code in an SMS ("… is 123456. …", in any language) or in what a call says
 * ("… is: 1, 2, 3, 4, 5, 6. …").
 */
const codeIn = (text: string) => {
  const match =
    text.match(/(?:^|\s)([0-9A-F](?:, [0-9A-F]){3,9})\./) ?? text.match(/(?:^|\s)([0-9A-F]{4,10})[.\s]/);
  if (!match) throw new Error(`no code in ${text}`);
  return match[1].replace(/, /g, '');
};

/** The code in the newest dev-outbox message (or simulated call) to `e164`. */
export async function codeFromOutbox(request: APIRequestContext, app: string, e164: string) {
  const html = await (await request.get(`${app}/dev/outbox`)).text();
  const row = html.match(new RegExp(`data-to="\\${e164}"[^]*?<td class="text">([^<]*)</td>`));
  if (!row) throw new Error(`no outbox message to ${e164}`);
  return codeIn(row[1]);
}

/** The code in the newest message the fake Telnyx received for `e164`. */
export async function codeFromTelnyx(request: APIRequestContext, e164: string) {
  const received: { to: string; text: string }[] = await (await request.get(`${FAKE_TELNYX}/received`)).json();
  const message = received.filter((m) => m.to === e164).pop();
  if (!message) throw new Error(`Telnyx received nothing for ${e164}`);
  return codeIn(message.text);
}

/** A code of the same shape that is not `code`. */
export const otherCode = (code: string) => code.replace(/./g, (c) => (c === '0' ? '1' : '0'));

/** The id of the newest message the fake Telnyx accepted for `e164`. */
export async function messageIdFromTelnyx(request: APIRequestContext, e164: string) {
  const received: { to: string; id: string }[] = await (await request.get(`${FAKE_TELNYX}/received`)).json();
  const message = received.filter((m) => m.to === e164).pop();
  if (!message) throw new Error(`Telnyx received nothing for ${e164}`);
  return message.id;
}

/** Makes the fake Telnyx send the app a signed `message.finalized` webhook. */
export async function reportDelivery(request: APIRequestContext, app: string, messageId: string, status: string) {
  const answer = await (await request.post(`${FAKE_TELNYX}/send-event`, { data: { app, message_id: messageId, status } })).json();
  expect(answer.status).toBe(204);
}

/** The code the newest call to `e164` read out ("…code is: 1, 2, 3, 4, 5, 6. …"), once it has. */
export async function codeFromCall(request: APIRequestContext, e164: string) {
  let spoken: string | undefined;
  await expect
    .poll(async () => {
      const calls: { to: string; spoken: string[] }[] = await (await request.get(`${FAKE_TELNYX}/calls`)).json();
      spoken = calls.filter((call) => call.to === e164).pop()?.spoken.at(-1);
      return spoken !== undefined;
    })
    .toBe(true);
  return codeIn(spoken!);
}

/**
 * Types the code. Once hydrated, a complete code submits the form by itself; without
 * JavaScript the test presses Verify, as a person would.
 */
export async function enterCode(page: Page, code: string, js = true) {
  if (js) await waitForHydration(page);
  await page.getByLabel(/Verification code|Código de verificación/).fill(code);
  if (!js) await page.getByRole('button', { name: /^(Verify|Verificar)$/ }).click();
}
