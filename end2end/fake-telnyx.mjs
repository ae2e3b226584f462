// A Telnyx-compatible Messaging API for the browser tests: POST /v2/messages answers in
// Telnyx's wire format (401 without the expected bearer key); GET /received lists what
// was sent, newest last, so tests can read the code the way a phone would; POST
// /send-event makes it send a signed delivery webhook, as Telnyx does, to the app.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { webhookSigningKey, sign } from './webhook-key.mjs';

const port = Number(process.argv[2] ?? 3457);
const API_KEY = 'e2e-test-key';
const received = [];

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
    if (req.method === 'GET' && req.url === '/received') return send(res, 200, received);
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
