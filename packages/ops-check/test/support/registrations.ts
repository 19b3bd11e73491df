import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Client } from 'pg';
import { buildEnvelope, producerSource, toKafkaMessage, UserRegistered } from '@taoyuan/events';

/** Polls `probe` until it gives a value. Generous: a TypeScript process on a busy 2-core CI machine starts slowly. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: () => string,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * identity's `user.registered`, as identity publishes it: volunteering opens one points account per event, so the
 * accounts and inbox rows tell whether each event was handled exactly once.
 */
export async function registrationPublisher(brokers: string) {
  const producer = new Kafka({ brokers: [brokers], clientId: 'ops-check-test', logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  const communityId = randomUUID();
  const userIds: string[] = [];
  return {
    userIds,
    async publish(count: number): Promise<void> {
      const messages = Array.from({ length: count }, () => {
        const userId = randomUUID();
        userIds.push(userId);
        const payload = { userId, communityId, registeredAt: new Date().toISOString() };
        return toKafkaMessage(buildEnvelope(UserRegistered, producerSource('identity'), payload, { communityId }));
      });
      await producer.send({ topic: UserRegistered.topic, messages });
    },
    disconnect: () => producer.disconnect(),
  };
}

export interface HandledRegistrations {
  events: number;
  distinctEvents: number;
  accounts: number;
}

/** What volunteering's database holds of the registrations: inbox rows, distinct events, points accounts. */
export async function handledRegistrations(db: Client, userIds: readonly string[]): Promise<HandledRegistrations> {
  const { rows } = await db.query<HandledRegistrations>(
    `SELECT (SELECT count(*)::int FROM inbox WHERE topic = $1) AS "events",
            (SELECT count(DISTINCT event_id)::int FROM inbox WHERE topic = $1) AS "distinctEvents",
            (SELECT count(*)::int FROM points_accounts WHERE user_id = ANY($2::uuid[])) AS "accounts"`,
    [UserRegistered.topic, userIds],
  );
  return rows[0];
}
