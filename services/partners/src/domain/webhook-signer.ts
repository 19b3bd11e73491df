import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A fresh Standard Webhooks signing secret: `whsec_` and 32 random bytes in Base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * The request of one attempt: the body as the Standard Webhooks specification suggests (`type`, `timestamp`,
 * `data`), and the three headers, signed with the `standardwebhooks` package (v1, HMAC-SHA256 over
 * `id.timestamp.body`). Every attempt is signed at its own time, so a receiver's five-minute tolerance holds for
 * retries too; the id stays the message's, so the receiver deduplicates by `webhook-id`.
 */
export function signedRequest(
  secret: string,
  message: { id: string; eventType: string; eventTime: Date; eventId: string; payload: unknown },
  now: Date = new Date(),
): SignedRequest {
  const body = JSON.stringify({
    type: message.eventType,
    timestamp: message.eventTime.toISOString(),
    eventId: message.eventId,
    data: message.payload,
  });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Taoyuan-Webhooks/1',
      'webhook-id': message.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(message.id, now, body),
    },
  };
}
