import { startPartnerConsumer } from './partner-consumer';

/**
 *   pnpm --filter @taoyuan/partner-consumer start
 * KAFKA_BROKERS (default 127.0.0.1:9092, the broker of `pnpm start`) and PARTNER_GROUP_ID (default
 * civil-affairs-bureau) choose where and as whom to read. Prints one JSON line per public event.
 */
async function main() {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const groupId = process.env.PARTNER_GROUP_ID ?? 'civil-affairs-bureau';
  const consumer = await startPartnerConsumer({
    brokers,
    groupId,
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
  console.error(`partner consumer "${groupId}" is following public events on ${brokers.join(',')} (Ctrl-C to stop)`);
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
