import { expect, test } from '@playwright/test';
import { OUTBOX_APP, TELNYX_APP } from '../playwright.config';
import {
  codeFromCall,
  codeFromOutbox,
  enterCode,
  messageIdFromTelnyx,
  reportDelivery,
  waitForHydration,
} from './helpers';

// The Telnyx app dials through the fake's Call Control API, which "answers", gets the
// code spoken, and reports the call back through signed webhooks.

test('SMS fails, "Call me instead", and the code the call reads out verifies', async ({ page, request }) => {
  await page.goto(`${TELNYX_APP}/`);
  await page.getByLabel('Phone number').fill('212 555 0120');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  await waitForHydration(page);
  await expect(page.locator('#call-offer')).toContainText('you can ask us to call you instead');
  await expect(page.getByRole('button', { name: 'Call me instead' })).toHaveCount(0);

  await reportDelivery(request, TELNYX_APP, await messageIdFromTelnyx(request, '+12125550120'), 'delivery_failed');
  await page.getByRole('button', { name: 'Call me instead' }).click();
  await expect(page.getByText("We're calling you now.")).toBeVisible();
  await expect(page.locator('p.lead')).toContainText("We're calling +1212***0120");
  await expect(page.locator('p.delivery')).toHaveText(/Call answered|Call completed/);

  const code = await codeFromCall(request, '+12125550120');
  await enterCode(page, code);
  await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
});

test('the offer counts down, then the dev outbox simulates the call', async ({ page, request }) => {
  await page.goto(`${OUTBOX_APP}/`);
  await page.getByLabel('Phone number').fill('212 555 0122');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  await waitForHydration(page);
  await expect(page.locator('#call-offer')).toContainText(/In [1-3] s you can ask us to call you instead/);
  await page.getByRole('button', { name: 'Call me instead' }).click();
  await expect(page.locator('p.lead')).toContainText("We're calling +1212***0122");
  await expect(page.locator('p.delivery')).toHaveText('Calling…');
  await expect(page.locator('p.delivery')).toHaveText('Call answered');

  const html = await (await request.get(`${OUTBOX_APP}/dev/outbox`)).text();
  expect(html).toContain('data-channel="voice"');
  const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550122');
  await enterCode(page, code);
  await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('"Call me instead" works with plain form posts', async ({ page, request }) => {
    await page.goto(`${TELNYX_APP}/`);
    await page.getByLabel('Phone number').fill('212 555 0121');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page).toHaveURL(`${TELNYX_APP}/verify`);
    await expect(page.locator('#call-offer')).toContainText('you can ask us to call you instead');

    await reportDelivery(request, TELNYX_APP, await messageIdFromTelnyx(request, '+12125550121'), 'delivery_failed');
    await page.reload();
    await expect(page.locator('p.delivery')).toHaveText('Not delivered: try again or use another number');
    await page.getByRole('button', { name: 'Call me instead' }).click();
    await expect(page).toHaveURL(`${TELNYX_APP}/verify?sent=voice`);
    await expect(page.getByText("We're calling you now.")).toBeVisible();
    await expect(page.locator('p.lead')).toContainText("We're calling +1212***0121");

    const code = await codeFromCall(request, '+12125550121');
    await page.getByLabel('Verification code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
  });
});
