// A Telnyx-compatible Messaging and Call Control API for the browser tests:
// POST /v2/messages answers in Telnyx's wire format (401 without the expected bearer
// key); GET /received lists what was sent, newest last, so tests can read the code the
// way a phone would; POST /send-event makes it send a signed delivery webhook, as Telnyx
// does, to the app. POST /v2/calls places a pretend call that "picks up": it sends the
// app signed call.initiated and call.answered webhooks (echoing the latest client_state),
// records what each speak command says (GET /calls), and reports speak.ended and hangup.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { webhookSigningKey, sign } from './webhook-key.mjs';

const port = Number(process.argv[2] ?? 3457);
// Where call webhooks go when a dial names no webhook_url.
const defaultApp = process.argv[3];
const API_KEY = 'e2e-test-key';
const received = [];
// call_control_id → { id, to, app, clientState, spoken: [text] }
const calls = new Map();

const signedPost = (app, event) => {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${app}/webhooks/telnyx`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'telnyx-timestamp': timestamp,
      'telnyx-signature-ed25519': sign(webhookSigningKey, `${timestamp}|${body}`),
    },
    body,
  });
};

/** Sends the call's webhook `eventType` after `delay` ms, with its latest client_state. */
const callEvent = (call, eventType, extra = {}, delay = 300) =>
  setTimeout(() => {
    signedPost(call.app, {
      data: {
        record_type: 'event',
        id: randomUUID(),
        event_type: eventType,
        occurred_at: new Date().toISOString(),
        payload: {
          call_control_id: call.id,
          call_leg_id: `leg-${call.id}`,
          call_session_id: `session-${call.id}`,
          connection_id: call.connectionId,
          client_state: call.clientState,
          from: call.from,
          to: call.to,
          direction: 'outgoing',
          ...extra,
        },
      },
      meta: { attempt: 1, delivered_to: `${call.app}/webhooks/telnyx` },
    }).catch((error) => console.error(`webhook ${eventType} failed: ${error}`));
  }, delay);

const readJson = (req) =>
  new Promise((resolve) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => resolve(raw ? JSON.parse(raw) : {}));
  });

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
    if (req.method === 'GET' && req.url === '/received') return send(res, 200, received);
    if (req.method === 'GET' && req.url === '/calls') {
      return send(res, 200, [...calls.values()].map(({ id, to, spoken }) => ({ id, to, spoken })));
    }
    if (req.method === 'POST' && req.url === '/v2/calls') {
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        return send(res, 401, { errors: [{ code: '10009', title: 'Authentication failed' }] });
      }
      readJson(req).then((body) => {
        const id = `v3:${randomUUID()}`;
        const call = {
          id,
          to: body.to,
          from: body.from,
          connectionId: body.connection_id,
          app: body.webhook_url ? body.webhook_url.replace(/\/webhooks\/telnyx$/, '') : defaultApp,
          clientState: body.client_state,
          spoken: [],
        };
        calls.set(id, call);
        send(res, 200, {
          data: { call_control_id: id, call_leg_id: `leg-${id}`, call_session_id: `session-${id}`, is_alive: false, record_type: 'call' },
        });
        callEvent(call, 'call.initiated', { state: 'bridging' }, 200);
        callEvent(call, 'call.answered', { state: 'answered' }, 800);
      });
      return;
    }
    const action = req.method === 'POST' && req.url.match(/^\/v2\/calls\/([^/]+)\/actions\/(speak|hangup)$/);
    if (action) {
      const call = calls.get(decodeURIComponent(action[1]));
      readJson(req).then((body) => {
        if (!call || call.ended) {
          return send(res, 422, { errors: [{ code: '90018', title: 'Call has already ended' }] });
        }
        if (body.client_state) call.clientState = body.client_state;
        send(res, 200, { data: { result: 'ok' } });
        if (action[2] === 'speak') {
          call.spoken.push(body.payload);
          callEvent(call, 'call.speak.started', {}, 100);
          callEvent(call, 'call.speak.ended', { status: 'completed' }, 600);
        } else {
          call.ended = true;
          callEvent(call, 'call.hangup', { hangup_cause: 'normal_clearing', hangup_source: 'caller' }, 200);
        }
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/send-event') {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', async () => {
        const { app, message_id, status } = JSON.parse(raw);
        const event = JSON.stringify({
          data: {
            record_type: 'event',
            id: randomUUID(),
            event_type: 'message.finalized',
            occurred_at: new Date().toISOString(),
            payload: { record_type: 'message', id: message_id, to: [{ status }], errors: [] },
          },
          meta: { attempt: 1, delivered_to: `${app}/webhooks/telnyx` },
        });
        const timestamp = String(Math.floor(Date.now() / 1000));
        const answer = await fetch(`${app}/webhooks/telnyx`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'telnyx-timestamp': timestamp,
            'telnyx-signature-ed25519': sign(webhookSigningKey, `${timestamp}|${event}`),
          },
          body: event,
        });
        send(res, 200, { status: answer.status });
      });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v2/messages') {
      return send(res, 404, { errors: [{ code: '10005', title: 'Resource not found' }] });
    }
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        return send(res, 401, { errors: [{ code: '10009', title: 'Authentication failed' }] });
      }
      const body = JSON.parse(raw);
      const id = randomUUID();
      received.push({ ...body, id });
      const now = new Date().toISOString();
      send(res, 200, {
        data: {
          record_type: 'message',
          direction: 'outbound',
          id,
          type: 'SMS',
          from: { phone_number: body.from, carrier: 'Telnyx', line_type: 'Wireless' },
          to: [{ phone_number: body.to, status: 'queued', carrier: 'T-MOBILE USA, INC.', line_type: 'Wireless' }],
          text: body.text,
          media: [],
          encoding: 'GSM-7',
          parts: 1,
          tags: [],
          cost: { amount: '0.0051', currency: 'USD' },
          received_at: now,
          sent_at: null,
          completed_at: null,
          valid_until: null,
          errors: [],
        },
      });
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`fake Telnyx on http://127.0.0.1:${port}`));
