import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookPublicKey } from './webhook-key.mjs';

// Each run starts from empty databases (and so from fresh rate-limit counters).
const runDir = mkdtempSync(join(tmpdir(), 'telnyx-2fa-e2e-'));

// Four free ports, chosen once by the main process and handed to the workers (which
// load this file again) through the environment.
if (!process.env.T2FA_E2E_PORTS) {
  const script =
    "const net=require('net');const ports=[];let open=4;" +
    "for(let i=0;i<4;i++){const s=net.createServer();s.listen(0,'127.0.0.1',()=>{ports.push(s.address().port);" +
    "if(--open===0){console.log(ports.join(','));process.exit(0);}});}";
  process.env.T2FA_E2E_PORTS = execFileSync(process.execPath, ['-e', script]).toString().trim();
}
const [outboxPort, fakePort, telnyxPort, rpPort] = process.env.T2FA_E2E_PORTS.split(',').map(Number);

// Two app instances from the release build: one with the dev outbox (no Telnyx key),
// one sending to a Telnyx-compatible fake. Paths are relative to the repository root.
export const OUTBOX_APP = `http://127.0.0.1:${outboxPort}`;
export const TELNYX_APP = `http://127.0.0.1:${telnyxPort}`;
export const FAKE_TELNYX = `http://127.0.0.1:${fakePort}`;
// The example relying party (examples/relying-party, openid-client) signs in through the
// outbox app. It is on `localhost`, the app on `127.0.0.1`: two sites, as in real life.
export const RELYING_PARTY = `http://localhost:${rpPort}`;

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
      command: `node fake-telnyx.mjs ${fakePort} ${TELNYX_APP}`,
      url: `${FAKE_TELNYX}/health`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
    // The suite sends and checks dozens of codes from 127.0.0.1; the other limits keep
    // their defaults.
    app(outboxPort, {
      SENDS_PER_IP: '100',
      VERIFIES_PER_IP: '100',
      // Simulated "Call me instead" calls, offered 3 s after the SMS.
      TELNYX_CONNECTION_ID: 'e2e-outbox',
      VOICE_OFFER_AFTER_SECONDS: '3',
      OIDC_CLIENTS: JSON.stringify([
        { client_id: 'example', name: 'Example app', redirect_uris: [`${RELYING_PARTY}/callback`] },
      ]),
    }),
    {
      command: 'node server.mjs',
      cwd: '../examples/relying-party',
      url: `${RELYING_PARTY}/health`,
      reuseExistingServer: false,
      timeout: 10_000,
      env: { PORT: String(rpPort), ISSUER: OUTBOX_APP, CLIENT_ID: 'example' },
    },
    app(telnyxPort, {
      TELNYX_API_KEY: 'e2e-test-key',
      TELNYX_FROM_NUMBER: '+15550001111',
      TELNYX_API_BASE: FAKE_TELNYX,
      TELNYX_PUBLIC_KEY: webhookPublicKey,
      // "Call me instead" through the fake's Call Control; offered here once the SMS fails.
      TELNYX_CONNECTION_ID: 'e2e-connection',
      VOICE_OFFER_AFTER_SECONDS: '600',
    }),
  ],
});
