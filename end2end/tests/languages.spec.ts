import { expect, test } from '@playwright/test';
import { OUTBOX_APP } from '../playwright.config';
import { codeFromOutbox, enterCode } from './helpers';

// The language comes from the browser (Accept-Language) or the switcher, which works
// without JavaScript and is remembered; the SMS follows the page.

test.describe('in a Spanish browser', () => {
  test.use({ locale: 'es-ES' });

  test('the flow is in Spanish, and so is the SMS', async ({ page, request }) => {
    await page.goto(`${OUTBOX_APP}/`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verifica tu número de teléfono');
    await page.getByLabel('Número de teléfono').fill('212 555 0260');
    await page.getByRole('button', { name: 'Enviar código' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Introduce tu código');
    const html = await (await request.get(`${OUTBOX_APP}/dev/outbox`)).text();
    expect(html).toContain('Tu código de telnyx-2fa es');
    await enterCode(page, await codeFromOutbox(request, OUTBOX_APP, '+12125550260'));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verificado');
  });
});

for (const js of [true, false]) {
  test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: js, locale: 'en-US' });

    test('the switcher changes the language and remembers it', async ({ page }) => {
      await page.goto(`${OUTBOX_APP}/`);
      const switcher = page.getByRole('navigation', { name: 'Language' });
      await switcher.getByRole('link', { name: 'Français' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre numéro de téléphone');
      await expect(page).toHaveURL(`${OUTBOX_APP}/`);
      await page.goto(`${OUTBOX_APP}/verify`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pas encore de numéro');
      await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'English' }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    });
  });
}
