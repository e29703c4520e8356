import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-switchyard-signature';
export const TIMESTAMP_HEADER = 'x-switchyard-timestamp';

/**
 * The webhook signature: `sha256=` + hex HMAC-SHA256 over `<timestamp>.<body>` (timestamp in
 * Unix seconds), so a receiver can reject replays older than a few minutes.
 *
 * @example
 * signWebhook('secret', '1700000000', '{"a":1}'); // 'sha256=…'
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Receiver side: checks the signature in constant time and the timestamp's age. */
export function verifyWebhook(
  secret: string,
  headers: { readonly signature: string; readonly timestamp: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const age = Math.abs(nowSeconds - Number(headers.timestamp));
  if (!Number.isFinite(age) || age > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, headers.timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
