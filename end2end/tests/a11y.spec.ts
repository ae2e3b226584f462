import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { OUTBOX_APP } from '../playwright.config';
import { codeFromOutbox, otherCode, waitForHydration } from './helpers';

// Accessibility: axe-core (WCAG 2.1 A and AA) finds nothing on any page or state, with
// JavaScript on and off, light and dark; a keyboard alone completes the flow. The walks
// with JavaScript also write every state to docs/screenshots/ (desktop and mobile,
// light and dark, English and Spanish).

const SHOTS = '../docs/screenshots';
mkdirSync(SHOTS, { recursive: true });

/**
 * Runs axe on `page`. Without JavaScript, axe can't run in the page itself: its markup
 * (scripts removed, so nothing hydrates) is audited in a fresh page with the same
 * styles, colour scheme and size.
 */
async function audit(page: Page, state: string, browser: Browser, js: boolean, scheme: 'light' | 'dark') {
  if (!js) {
    // page.content() needs script; the same request with the page's cookies serves the
    // same markup.
    const html = (await (await page.request.get(page.url())).text())
      .replace(/<script[^]*?<\/script>/g, '')
      .replace('<head>', `<head><base href="${OUTBOX_APP}/">`);
    const context = await browser.newContext({
      javaScriptEnabled: true,
      colorScheme: scheme,
      viewport: page.viewportSize(),
    });
    const copy = await context.newPage();
    await copy.setContent(html, { waitUntil: 'load' });
    try {
      return await audit(copy, state, browser, true, scheme);
    } finally {
      await context.close();
    }
  }
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe on ${state}`).toEqual([]);
}

const walks = [
  { scheme: 'light', size: 'desktop', lang: 'en', js: true },
  { scheme: 'dark', size: 'desktop', lang: 'en', js: true },
  { scheme: 'light', size: 'mobile', lang: 'en', js: true },
  { scheme: 'dark', size: 'mobile', lang: 'en', js: true },
  { scheme: 'light', size: 'desktop', lang: 'es', js: true },
  { scheme: 'dark', size: 'mobile', lang: 'es', js: true },
  { scheme: 'light', size: 'desktop', lang: 'en', js: false },
  { scheme: 'dark', size: 'desktop', lang: 'en', js: false },
] as const;

walks.forEach((walk, index) => {
  const name = `${walk.lang}-${walk.size}-${walk.scheme}${walk.js ? '' : '-nojs'}`;
  test.describe(name, () => {
    test.use({
      colorScheme: walk.scheme,
      javaScriptEnabled: walk.js,
      locale: walk.lang === 'es' ? 'es-ES' : 'en-US',
      viewport: walk.size === 'mobile' ? { width: 375, height: 740 } : { width: 1100, height: 800 },
    });

    test(`every state passes axe (${name})`, async ({ page, request, browser }) => {
      const check = (state: string) => audit(page, state, browser, walk.js, walk.scheme);
      const number = String(230 + index).padStart(4, '0');
      const shot = async (state: string) => {
        if (walk.js) await page.screenshot({ path: `${SHOTS}/${state}-${name}.png`, fullPage: true });
      };
      const hydrated = async () => {
        if (walk.js) await waitForHydration(page);
      };
      const submit = (form: string) => page.locator(`form[action="${form}"] button[type=submit]`).click();

      await page.goto(`${OUTBOX_APP}/`);
      await expect(page.locator('html')).toHaveAttribute('lang', walk.lang);
      await check('the phone page');
      await shot('1-phone');

      await page.locator('#phone').fill('12');
      await submit('/api/request-code');
      await expect(page.locator('#phone-error')).toBeVisible();
      await check('the phone page with an error');
      await shot('2-phone-error');

      await page.locator('#phone').fill(`212 555 ${number}`);
      await submit('/api/request-code');
      await expect(page).toHaveURL(/\/verify/);
      await hydrated();
      await check('the code page (waiting)');
      await shot('3-code');

      const code = await codeFromOutbox(request, OUTBOX_APP, `+1212555${number}`);
      await page.locator('#code').fill(otherCode(code));
      if (!walk.js) await submit('/api/verify-code');
      await expect(page.locator('#code-error')).toBeVisible();
      await hydrated();
      await check('the code page with a wrong code');
      await shot('4-code-error');

      await page.locator('#code').fill(code);
      if (!walk.js) await submit('/api/verify-code');
      await expect(page).toHaveURL(/\/verified/);
      await expect(page.locator('h1')).toBeVisible();
      await check('the verified page');
      await shot('5-verified');

      await page.goto(`${OUTBOX_APP}/no-such-page`);
      await check('the page for an unknown path');
    });
  });
});

test('a keyboard alone completes the flow', async ({ page, request }) => {
  await page.goto(`${OUTBOX_APP}/`);
  // The phone field has the focus from the start.
  await expect(page.locator('#phone')).toBeFocused();
  await page.keyboard.type('212 555 0250');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/verify/);
  // On the code page the focus is in the code field; once the island is live, a
  // complete code submits itself.
  await expect(page.locator('#code')).toBeFocused();
  await waitForHydration(page);
  const code = await codeFromOutbox(request, OUTBOX_APP, '+12125550250');
  await page.keyboard.type(code);
  await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
  // Tab reaches "Sign out"; Enter signs out.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByRole('button', { name: 'Sign out' }).evaluate((el) => el === document.activeElement)) break;
  }
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${OUTBOX_APP}/`);
});

test.describe('with reduced motion', () => {
  test.use({ reducedMotion: 'reduce' });
  test('nothing moves', async ({ page }) => {
    await page.goto(`${OUTBOX_APP}/`);
    const moving = await page.evaluate(() =>
      [...document.querySelectorAll('*')].filter((el) => {
        const style = getComputedStyle(el);
        return style.animationName !== 'none' || parseFloat(style.transitionDuration) > 0;
      }).length,
    );
    expect(moving).toBe(0);
  });
});
