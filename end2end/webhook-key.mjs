// The Ed25519 key pair the fake Telnyx signs webhooks with (a fixed test key, like the
// one in a Telnyx account), and the public half the app is configured with.
import { createPrivateKey, createPublicKey, sign as ed25519Sign } from 'node:crypto';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const seed = Buffer.alloc(32, 7);

export const webhookSigningKey = createPrivateKey({
  key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
  format: 'der',
  type: 'pkcs8',
});

/** Base64 of the raw 32-byte public key, as the Telnyx portal shows it. */
export const webhookPublicKey = createPublicKey(webhookSigningKey)
  .export({ format: 'der', type: 'spki' })
  .subarray(-32)
  .toString('base64');

/** Base64 Ed25519 signature of `message`. */
export const sign = (key, message) => ed25519Sign(null, Buffer.from(message), key).toString('base64');
