import type { SASLOptions } from 'kafkajs';
import { startPartnerConsumer } from './partner-consumer';

/**
 *   KAFKA_SASL_MECHANISM=scram-sha-256 KAFKA_USERNAME=partner KAFKA_PASSWORD=… pnpm --filter @taoyuan/partner-consumer start
 * KAFKA_BROKERS (default 127.0.0.1:9092, the broker of `pnpm start`) and PARTNER_GROUP_ID (default
 * partner-civil-affairs-bureau) choose where and in which group to read; KAFKA_SASL_MECHANISM (plain or
 * scram-sha-256), KAFKA_USERNAME and KAFKA_PASSWORD log in (`pnpm start` prints where the partner's password is).
 * Prints one JSON line per public event.
 */
function saslFromEnvironment(): SASLOptions | undefined {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_USERNAME: username, KAFKA_PASSWORD: password } = process.env;
  if (!mechanism && !username && !password) return undefined;
  if (!username || !password) throw new Error('set KAFKA_USERNAME and KAFKA_PASSWORD together');
  switch (mechanism ?? 'scram-sha-256') {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    default:
      throw new Error(`KAFKA_SASL_MECHANISM must be plain or scram-sha-256, not ${mechanism}`);
  }
}

async function main() {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const groupId = process.env.PARTNER_GROUP_ID ?? 'partner-civil-affairs-bureau';
  const sasl = saslFromEnvironment();
  const consumer = await startPartnerConsumer({
    brokers,
    groupId,
    sasl,
    onEvent: (event, where) => {
      console.log(
        JSON.stringify({
          topic: where.topic,
          id: event.id,
          type: event.type,
          time: event.time,
          communityId: event.communityid,
          subject: event.subject,
          data: event.data,
        }),
      );
    },
  });
  const login = sasl ? ` as ${process.env.KAFKA_USERNAME}` : '';
  console.error(
    `partner consumer "${groupId}" is following public events on ${brokers.join(',')}${login} (Ctrl-C to stop)`,
  );
  const stop = () => {
    consumer.disconnect().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
