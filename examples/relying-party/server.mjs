// An example relying party: a tiny web app that signs people in with telnyx-2fa over
// OpenID Connect, through the certified `openid-client` library (not the app's code).
//
//   cd examples/relying-party && npm ci && node server.mjs
//
// Settings (environment): ISSUER (default http://127.0.0.1:3000), CLIENT_ID (example),
// CLIENT_SECRET (none: a public client with PKCE), PORT (4000), REDIRECT_URI
// (http://localhost:$PORT/callback). Register the client in telnyx-2fa, e.g.
//   OIDC_CLIENTS='[{"client_id":"example","name":"Example app",
//                   "redirect_uris":["http://localhost:4000/callback"]}]' make run
import * as client from 'openid-client';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const PORT = Number(process.env.PORT || 4000);
const ISSUER = process.env.ISSUER || 'http://127.0.0.1:3000';
const CLIENT_ID = process.env.CLIENT_ID || 'example';
const CLIENT_SECRET = process.env.CLIENT_SECRET || '';
const REDIRECT_URI = process.env.REDIRECT_URI || `http://localhost:${PORT}/callback`;

// Sign-ins in progress and signed-in people, by the random id in this app's own cookie.
const flows = new Map();
const sessions = new Map();

let config;
async function configuration() {
  if (!config) {
    const auth = CLIENT_SECRET ? client.ClientSecretBasic(CLIENT_SECRET) : client.None();
    const options = ISSUER.startsWith('http://') ? { execute: [client.allowInsecureRequests] } : {};
    config = await client.discovery(new URL(ISSUER), CLIENT_ID, undefined, auth, options);
  }
  return config;
}

function cookie(request, name) {
  const pair = (request.headers.cookie || '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name);
  return pair ? pair[1] : undefined;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function mask(e164) {
  return e164.length < 9 ? `***${e164.slice(-2)}` : `${e164.slice(0, Math.min(5, e164.length - 7))}***${e164.slice(-4)}`;
}

function page(response, status, body, headers = {}) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example app</title></head>
<body><main><h1>Example app</h1>${body}</main></body></html>`);
}

async function handle(request, response) {
  const url = new URL(request.url, `http://localhost:${PORT}`);
  if (url.pathname === '/') {
    const session = sessions.get(cookie(request, 'rp_session'));
    if (session) {
      return page(response, 200, `<p id="who">Logged in as ${escape(mask(session.phone))}</p>
<p>sub: <code id="sub">${escape(session.sub)}</code>, verified by ${escape(session.amr.join(', '))}</p>
<p><a id="logout" href="/logout">Sign out</a></p>`);
    }
    const problem = url.searchParams.get('problem');
    return page(response, 200, `${problem ? `<p id="problem">${escape(problem)}</p>` : ''}
<p><a id="login" href="/login">Sign in with your phone number</a></p>`);
  }
  if (url.pathname === '/login') {
    const config = await configuration();
    const flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
    };
    const id = randomBytes(16).toString('hex');
    flows.set(id, flow);
    const target = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid phone',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      ...(url.searchParams.get('prompt') ? { prompt: url.searchParams.get('prompt') } : {}),
    });
    response.writeHead(303, { location: target.href, 'set-cookie': `rp_flow=${id}; Path=/; HttpOnly; SameSite=Lax` });
    return response.end();
  }
  if (url.pathname === '/callback') {
    const flow = flows.get(cookie(request, 'rp_flow'));
    if (!flow) return page(response, 400, '<p id="problem">No sign-in in progress.</p>');
    flows.delete(cookie(request, 'rp_flow'));
    try {
      const config = await configuration();
      // The callback as the provider addressed it (the registered redirect URI's origin).
      const current = new URL(url.pathname + url.search, REDIRECT_URI);
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      const id = randomBytes(16).toString('hex');
      sessions.set(id, { sub: claims.sub, phone: info.phone_number, amr: claims.amr || [] });
      response.writeHead(303, { location: '/', 'set-cookie': `rp_session=${id}; Path=/; HttpOnly; SameSite=Lax` });
      return response.end();
    } catch (error) {
      const reason = error.error || error.code || error.message;
      return page(response, 400, `<p id="problem">Sign-in failed: ${escape(reason)}</p>`);
    }
  }
  if (url.pathname === '/logout') {
    sessions.delete(cookie(request, 'rp_session'));
    response.writeHead(303, { location: '/', 'set-cookie': 'rp_session=; Path=/; Max-Age=0' });
    return response.end();
  }
  if (url.pathname === '/health') {
    response.writeHead(200);
    return response.end('ok');
  }
  page(response, 404, '<p>Not found.</p>');
}

createServer((request, response) => {
  handle(request, response).catch((error) => page(response, 500, `<p id="problem">${escape(error.message)}</p>`));
}).listen(PORT, () => console.log(`example relying party on http://localhost:${PORT} (issuer ${ISSUER})`));
