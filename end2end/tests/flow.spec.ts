import { expect, test } from '@playwright/test';
import { OUTBOX_APP, TELNYX_APP } from '../playwright.config';
import {
  codeFromOutbox,
  codeFromTelnyx,
  enterCode,
  messageIdFromTelnyx,
  otherCode,
  reportDelivery,
  waitForHydration,
} from './helpers';

test.describe('with JavaScript', () => {
  test('happy path: phone, code from the outbox, verified', async ({ page, request }) => {
    await page.goto(`${OUTBOX_APP}/`);

    await page.getByLabel('Phone number').fill('(212) 555-0101');
    await page.getByRole('button', { name: 'Send code' }).click();

    await expect(page).toHaveURL(`${OUTBOX_APP}/verify`);
    await expect(page.getByTestId('masked-phone')).toHaveText('+1212***0101');
    // The code's time left counts down live.
    const expiry = page.locator('#code-expiry');
    await expect(expiry).toHaveText(/^The code expires in (10:00|9:5\d)\.$/);
    const before = await expiry.textContent();
    await expect(expiry).not.toHaveText(before!, { timeout: 3_000 });
    const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550101');

    await enterCode(page, code);

    await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
    await expect(page.getByTestId('masked-phone')).toHaveText('+1212***0101');
    await expect(page).toHaveURL(`${OUTBOX_APP}/verified`);
    // The deployment's name (APP_NAME) stays above every page.
    await expect(page.locator('header.site-name')).toHaveText('telnyx-2fa');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(`${OUTBOX_APP}/`);
    await page.goto(`${OUTBOX_APP}/verified`);
    await expect(page).toHaveURL(`${OUTBOX_APP}/`);
  });

  test('a button shows its pending state while its form is on its way', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.waitForLoadState('networkidle');
    // Hold the post where it is: the page's own script has seen it go (its listener
    // came first), the browser never sends it.
    await page.evaluate(() => document.addEventListener('submit', (event) => event.preventDefault()));
    await page.getByLabel('Phone number').fill('212 555 0114');
    await page.getByRole('button', { name: 'Send code' }).click();
    const button = page.locator('form button[type=submit]');
    await expect(button).toHaveText('Sending…');
    await expect(button).toHaveAttribute('aria-busy', 'true');
    await expect(page.locator('form')).toHaveAttribute('data-pending', 'true');
  });

  test('the pages run under a nonce CSP without violations', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${OUTBOX_APP}/`);
    expect(response?.headers()['content-security-policy']).toContain("'nonce-");
    await page.getByLabel('Phone number').fill('212 555 0112');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(`${OUTBOX_APP}/verify`);
    // The code page's island (the WASM bundle) runs under the same policy.
    await waitForHydration(page);
    expect(violations).toEqual([]);
  });

  test('a wrong code shows the attempts left, then the right code verifies', async ({ page, request }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0102');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);
    const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550102');

    // Checked in place: no page load.
    await waitForHydration(page);
    await page.evaluate(() => ((window as any).__samePage = true));
    await enterCode(page, otherCode(code));
    await expect(page.getByRole('alert')).toContainText('4 attempts left');
    await expect(page.getByLabel('Verification code')).toHaveAttribute('aria-invalid', 'true');
    // Focus goes back to the field, empty for retyping; the button is at rest again.
    await expect(page.getByLabel('Verification code')).toBeFocused();
    await expect(page.getByLabel('Verification code')).toHaveValue('');
    await expect(page.getByRole('button', { name: 'Verify' })).toHaveAttribute('aria-busy', 'false');
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
    await enterCode(page, otherCode(code));
    await expect(page.getByRole('alert')).toContainText('3 attempts left');

    await enterCode(page, code);
    await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
  });

  test('past the last attempt the code page says the code is locked', async ({ page, request }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0116');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);
    const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550116');
    for (let left = 4; left >= 0; left--) {
      await enterCode(page, otherCode(code));
      await expect(page.locator('#code-error')).toContainText(left === 0 ? 'last' : `${left} attempt`);
    }
    // An answer the page can't show in place (here: locked) loads the code page with it.
    await enterCode(page, code);
    await expect(page.locator('#code-error')).toHaveAttribute('data-error', 'too_many_attempts');
  });

  test('an invalid phone number is refused next to the field', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('12345');
    await page.getByRole('button', { name: 'Send code' }).click();

    const alert = page.locator('#phone-error');
    await expect(alert).toBeVisible();
    await expect(alert).toHaveAttribute('data-error', 'invalid_phone');
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByLabel('Phone number')).toBeFocused();
  });

  test('sends through Telnyx when a key is configured', async ({ page, request }) => {
    await page.goto(`${TELNYX_APP}/`);
    await page.getByLabel('Phone number').fill('+1 212 555 0103');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);

    const code = await codeFromTelnyx(request, '+12125550103');
    await enterCode(page, code);
    await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();

    expect((await request.get(`${TELNYX_APP}/dev/outbox`)).status()).toBe(404);
  });

  test('asking for a new code too soon shows how long to wait', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0108');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);
    await waitForHydration(page);

    // The cooldown the server reports counts down, and holds the button until it ends.
    const resend = page.getByRole('button', { name: 'Send a new code' });
    await expect(resend).toBeDisabled();
    const wait = page.locator('#resend-wait');
    await expect(wait).toHaveText(/^You can ask for a new code in (30|29|28) s\.$/);
    const before = await wait.textContent();
    await expect(wait).not.toHaveText(before!, { timeout: 3_000 });
  });

  test('the delivery status appears on the code form without a reload', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0109');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);
    await page.evaluate(() => ((window as any).__samePage = true));

    const status = page.getByRole('status').filter({ hasText: /Sending|Delivered/ });
    await expect(status).toHaveText('Delivered');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  });

  test('a failed delivery shows at once and allows a new code despite the cooldown', async ({ page, request }) => {
    await page.goto(`${TELNYX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0110');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);
    await waitForHydration(page);
    await expect(page.locator('p.delivery')).toHaveText('Sending…');

    await expect(page.getByRole('button', { name: 'Send a new code' })).toBeDisabled();

    await reportDelivery(request, TELNYX_APP, await messageIdFromTelnyx(request, '+12125550110'), 'delivery_failed');
    await expect(page.locator('p.delivery')).toHaveText('Not delivered: try again or use another number');

    await page.getByRole('button', { name: 'Send a new code' }).click();
    await expect(page.getByText('A new code is on its way.')).toBeVisible();
    await expect(page.locator('p.delivery')).toHaveText('Sending…');
    // The new code's cooldown holds the button again.
    await expect(page.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
  });

  test('with the WebOTP API, the code from the SMS fills the field and submits', async ({ page, request }) => {
    // Stand in for Android Chrome's WebOTP: resolve the OTP request when the test "receives" the SMS.
    await page.addInitScript(() => {
      (window as any).OTPCredential = function OTPCredential() {};
      const original = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = ((options?: any) => {
        if (!options?.otp) return original(options);
        (window as any).__otpRequested = JSON.stringify(options.otp);
        return new Promise((resolve) => {
          (window as any).__deliverSms = (code: string) => resolve({ type: 'otp', code });
        });
      }) as typeof navigator.credentials.get;
    });
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0111');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(/\/verify/);
    await expect.poll(() => page.evaluate(() => (window as any).__otpRequested)).toBe('{"transport":["sms"]}');

    const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550111');
    await page.evaluate((code) => (window as any).__deliverSms(code), code);
    await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
  });

  test('the code field is set up for one-time codes, and no number is in the URL', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0104');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(`${OUTBOX_APP}/verify`);
    const input = page.getByLabel('Verification code');
    await expect(input).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(input).toHaveAttribute('inputmode', 'numeric');
    await expect(page.getByTestId('masked-phone')).toHaveText('+1212***0104');
    await page.getByRole('link', { name: 'Use a different number' }).click();
    await expect(page).toHaveURL(`${OUTBOX_APP}/`);
    await expect(page.getByLabel('Phone number')).toHaveValue('');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole flow works with plain form posts', async ({ page, request }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('212-555-0105');
    await page.getByRole('button', { name: 'Send code' }).click();

    await expect(page).toHaveURL(`${OUTBOX_APP}/verify`);
    const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550105');

    await page.getByLabel('Verification code').fill(otherCode(code));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert')).toContainText('4 attempts left');

    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
  });

  test('an invalid number comes back with the error', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await page.getByLabel('Phone number').fill('not a number');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.locator('#phone-error')).toHaveAttribute('data-error', 'invalid_phone');
  });
});

test('the favicon is served', async ({ request }) => {
  const icon = await request.get(`${OUTBOX_APP}/favicon.svg`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
});

test('the dev outbox lists messages newest first', async ({ page, request }) => {
  for (const phone of ['212 555 0106', '212 555 0107']) {
    const response = await request.post(`${OUTBOX_APP}/api/request-code`, { form: { phone } });
    expect(response.status()).toBe(200);
  }
  await page.goto(`${OUTBOX_APP}/dev/outbox`);
  await expect(page.getByRole('heading', { name: 'Dev outbox' })).toBeVisible();
  const recipients = await page.locator('tr.message td.to').allTextContents();
  const newest = recipients.indexOf('+12125550107');
  const older = recipients.indexOf('+12125550106');
  expect(newest).toBeGreaterThanOrEqual(0);
  expect(older).toBeGreaterThan(newest);
  await expect(page.locator('tr.message').first()).toContainText(/code is \d{6}\./);
});
