import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { OUTBOX_APP } from '../playwright.config';
import { codeFromOutbox, enterCode, waitForHydration } from './helpers';

// The download budget: the code page ships at most 60 KB of WASM and JavaScript,
// gzipped (the built files under target/site, as the page loads them, plus its inline
// scripts); the pages without live parts load no WASM at all.

const BUDGET = 60 * 1024;
const SITE = new URL("../../target/site", import.meta.url).pathname;
const gzipped = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

test('the code page ships at most 60 KB gzipped; the other pages no WASM', async ({ page, request }) => {
  let loaded: string[] = [];
  const encodings = new Map<string, string | undefined>();
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\.(wasm|js)$/.test(path)) loaded.push(path);
  });
  page.on('response', (r) => {
    encodings.set(new URL(r.url()).pathname, r.headers()['content-encoding']);
  });
  const wasm = () => loaded.filter((path) => path.endsWith('.wasm'));

  await page.goto(`${OUTBOX_APP}/`);
  await page.waitForLoadState('networkidle');
  expect(wasm()).toEqual([]);
  expect(loaded).toEqual(['/forms.js']);

  loaded = [];
  await page.getByLabel('Phone number').fill('212 555 0115');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page).toHaveURL(`${OUTBOX_APP}/verify`);
  await waitForHydration(page);
  await page.waitForLoadState('networkidle');
  expect(wasm()).toHaveLength(1);
  // The server sends the bundle and its scripts gzipped, as measured here.
  for (const path of loaded) expect(encodings.get(path), path).toBe('gzip');
  // A page is never compressed (BREACH).
  expect(encodings.get('/verify')).toBeUndefined();

  const rows = [...new Set(loaded)].map((path) => [path, gzipped(readFileSync(`${SITE}${path}`))] as const);
  const inline = (await page.locator('script:not([src])').allTextContents()).join('\n');
  rows.push(['(inline scripts)', gzipped(inline)]);
  const total = rows.reduce((sum, [, size]) => sum + size, 0);
  console.log(
    `code page download, gzipped (budget ${kb(BUDGET)}):\n` +
      rows.map(([path, size]) => `  ${path.padEnd(28)} ${kb(size)}`).join('\n') +
      `\n  ${'total'.padEnd(28)} ${kb(total)}`,
  );
  expect(total).toBeLessThanOrEqual(BUDGET);

  loaded = [];
  await enterCode(page, await codeFromOutbox(request, OUTBOX_APP, '+12125550115'));
  await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(wasm()).toEqual([]);

  loaded = [];
  await page.goto(`${OUTBOX_APP}/no-such-page`);
  await page.waitForLoadState('networkidle');
  expect(wasm()).toEqual([]);
});
