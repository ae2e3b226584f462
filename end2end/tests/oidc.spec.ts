import { expect, test, type Page, type APIRequestContext } from '@playwright/test';
import { OUTBOX_APP, RELYING_PARTY } from '../playwright.config';
import { codeFromOutbox, enterCode, waitForHydration } from './helpers';

// The example relying party (an unmodified openid-client) signs a person in through
// telnyx-2fa: from its site (localhost) to the app (127.0.0.1) and back.

async function signInAtTheRelyingParty(page: Page, request: APIRequestContext, phone: string, e164: string, js: boolean) {
  await page.goto(`${RELYING_PARTY}/`);
  await page.locator('#login').click();
  await expect(page).toHaveURL(`${OUTBOX_APP}/`);
  await expect(page.getByTestId('sign-in-for')).toHaveText('Verify your phone number to continue to Example app.');
  await page.getByLabel('Phone number').fill(phone);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page).toHaveURL(`${OUTBOX_APP}/verify`);
  if (js) await waitForHydration(page);
  const code = await codeFromOutbox(request, OUTBOX_APP, e164);
  await enterCode(page, code, js);
  await expect(page).toHaveURL(`${RELYING_PARTY}/`);
}

test.describe('OpenID Connect with JavaScript', () => {
  test('the example app signs in with a verified number, then reuses the session across sites', async ({ page, request }) => {
    await signInAtTheRelyingParty(page, request, '(212) 555-0141', '+12125550141', true);
    await expect(page.locator('#who')).toHaveText('Logged in as +1212***0141');
    await expect(page.locator('#sub')).not.toContainText('2125550141');

    // Signed out at the app only: the provider's session answers at once, from
    // another site, without the phone pages.
    await page.locator('#logout').click();
    await page.locator('#login').click();
    await expect(page).toHaveURL(`${RELYING_PARTY}/`);
    await expect(page.locator('#who')).toHaveText('Logged in as +1212***0141');
  });
});

test.describe('OpenID Connect without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the example app signs in with plain form posts', async ({ page, request }) => {
    await signInAtTheRelyingParty(page, request, '212-555-0142', '+12125550142', false);
    await expect(page.locator('#who')).toHaveText('Logged in as +1212***0142');
  });
});
