import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookPublicKey } from './webhook-key.mjs';

// Each run starts from empty databases (and so from fresh rate-limit counters).
const runDir = mkdtempSync(join(tmpdir(), 'telnyx-2fa-e2e-'));

// Two app instances from the release build: one with the dev outbox (no Telnyx key),
// one sending to a Telnyx-compatible fake. Paths are relative to the repository root.
export const OUTBOX_APP = 'http://127.0.0.1:3456';
export const TELNYX_APP = 'http://127.0.0.1:3458';
export const FAKE_TELNYX = 'http://127.0.0.1:3457';

const app = (port: number, env: Record<string, string>) => ({
  command: './target/release/telnyx-2fa',
  cwd: '..',
  url: `http://127.0.0.1:${port}/health`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: 'pipe' as const,
  env: {
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: 'target/site',
    DATA_DIR: join(runDir, String(port)),
    CONFIG_FILE: 'end2end/empty-config.toml',
    RUST_LOG: 'info',
    ...env,
  },
});

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
  },
  webServer: [
    {
      command: 'node fake-telnyx.mjs 3457',
      url: `${FAKE_TELNYX}/health`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
    // The suite sends a dozen codes from 127.0.0.1; the other limits keep their defaults.
    app(3456, { SENDS_PER_IP: '100' }),
    app(3458, {
      TELNYX_API_KEY: 'e2e-test-key',
      TELNYX_FROM_NUMBER: '+15550001111',
      TELNYX_API_BASE: FAKE_TELNYX,
      TELNYX_PUBLIC_KEY: webhookPublicKey,
    }),
  ],
});
