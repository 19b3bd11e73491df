import { parseArgs } from 'node:util';
import { createLogger } from '@taoyuan/service-kit';
import { createKafka, DeadLetterOffice, kafkaCredentialsFromConfig, parseBrokers, type DeadLetter } from '../src';

const USAGE = `pnpm dlq — dead-letter topics (<topic>.dlq)

  pnpm dlq list    [--topic T] [--since TIME] [--until TIME] [--group G] [--json]
  pnpm dlq show    <topic> <offset> [--partition P]
  pnpm dlq replay  (--topic T | --since TIME | --until TIME) [--offset N [--partition P]] [--group G]
                   [--dry-run] [--force] [--json]

  T is an event topic (taoyuan.points.tier-reached.v1) or its DLQ; TIME is ISO 8601 (2026-12-01T08:00:00Z) and
  filters on when the consumer gave up. replay publishes each dead letter again to its original topic (same key,
  same ce_* headers, same event id: inboxes deduplicate) and records it in <dlq>.replayed; letters replayed before
  are skipped unless --force. Letters refused for their producer (UNTRUSTED_SOURCE, forged) are never replayed.

  Environment: KAFKA_BROKERS (default 127.0.0.1:9092); KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD when the
  brokers require SASL (an operator principal that may read the DLQs and write the original topics).`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function time(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()))
    fail(`--${name} ${value} is not a time (use ISO 8601, e.g. 2026-12-01T08:00:00Z)`);
  return parsed;
}

function summary(letter: DeadLetter): Record<string, unknown> {
  return {
    dlq: `${letter.dlqTopic}:${letter.partition}:${letter.offset}`,
    original: `${letter.originalTopic ?? '?'}:${letter.originalPartition ?? '?'}:${letter.originalOffset ?? '?'}`,
    eventId: letter.eventId,
    group: letter.consumerGroup,
    reason: letter.reason,
    attempts: letter.attempts,
    failedAt: letter.failedAt.toISOString(),
    replayedAt: letter.replayedAt?.toISOString() ?? null,
    error: letter.error,
  };
}

function printList(letters: DeadLetter[]): void {
  const byTopic = new Map<string, DeadLetter[]>();
  for (const letter of letters) byTopic.set(letter.dlqTopic, [...(byTopic.get(letter.dlqTopic) ?? []), letter]);
  if (byTopic.size === 0) console.log('no dead letters');
  for (const [topic, topicLetters] of byTopic) {
    const waiting = topicLetters.filter((letter) => !letter.replayedAt).length;
    console.log(`\n${topic}: ${topicLetters.length} dead letter(s), ${waiting} not replayed`);
    for (const letter of topicLetters) {
      const replayed = letter.replayedAt ? `  replayed ${letter.replayedAt.toISOString()}` : '';
      console.log(
        `  ${letter.partition}:${letter.offset}  from ${letter.originalTopic}:${letter.originalPartition}@${letter.originalOffset}` +
          `  ${letter.failedAt.toISOString()}  ${letter.consumerGroup ?? '?'}  ${letter.reason ?? '?'}${replayed}\n` +
          `      ${(letter.error ?? '').split('\n')[0]?.slice(0, 160)}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      topic: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      group: { type: 'string' },
      offset: { type: 'string' },
      partition: { type: 'string' },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const partition = values.partition === undefined ? undefined : Number(values.partition);
  if (partition !== undefined && (!Number.isInteger(partition) || partition < 0))
    fail(`--partition ${values.partition} is not a partition number`);
  if (values.offset !== undefined && !/^\d+$/.test(values.offset)) fail(`--offset ${values.offset} is not an offset`);

  const logger = createLogger('dlq', process.env.LOG_LEVEL ?? 'fatal');
  const kafka = createKafka({
    brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    clientId: 'taoyuan-dlq',
    logger,
    sasl: kafkaCredentialsFromConfig({
      KAFKA_SASL_MECHANISM: process.env.KAFKA_SASL_MECHANISM as 'plain' | 'scram-sha-256' | 'scram-sha-512' | undefined,
      KAFKA_USERNAME: process.env.KAFKA_USERNAME,
      KAFKA_PASSWORD: process.env.KAFKA_PASSWORD,
    }),
  });
  const office = new DeadLetterOffice(kafka);
  const filter = {
    topic: values.topic,
    since: time(values.since, 'since'),
    until: time(values.until, 'until'),
    consumerGroup: values.group,
  };

  switch (command) {
    case 'list': {
      const letters = await office.list(filter);
      if (values.json) console.log(JSON.stringify(letters.map(summary), null, 2));
      else printList(letters);
      return;
    }
    case 'show': {
      const [topic, offset] = rest;
      if (!topic || !offset || !/^\d+$/.test(offset)) fail('show needs <topic> <offset>');
      const letter = await office.show(topic, offset, partition ?? 0);
      if (!letter) fail(`no dead letter at ${topic} partition ${partition ?? 0} offset ${offset}`);
      const value = letter.value?.toString('utf8') ?? 'null';
      let payload: unknown = value;
      try {
        payload = JSON.parse(value);
      } catch {
        // Shown as the raw text: a payload that is not JSON is often why it is here.
      }
      console.log(JSON.stringify({ ...summary(letter), key: letter.key, headers: letter.headers, payload }, null, 2));
      return;
    }
    case 'replay': {
      if (values.offset !== undefined && !values.topic) fail('--offset needs --topic');
      const result = await office.replay(
        { ...filter, offset: values.offset, partition: values.offset === undefined ? undefined : (partition ?? 0) },
        { force: values.force, dryRun: values['dry-run'] },
      );
      if (values.json) {
        console.log(
          JSON.stringify(
            {
              replayed: result.replayed.map(summary),
              alreadyReplayed: result.alreadyReplayed.map(summary),
              refused: result.refused.map(({ letter, why }) => ({ ...summary(letter), why })),
            },
            null,
            2,
          ),
        );
        return;
      }
      const verb = values['dry-run'] ? 'would replay' : 'replayed';
      for (const letter of result.replayed)
        console.log(
          `${verb} ${letter.dlqTopic}:${letter.partition}:${letter.offset} → ${letter.originalTopic} (event ${letter.eventId})`,
        );
      for (const letter of result.alreadyReplayed)
        console.log(
          `skipped ${letter.dlqTopic}:${letter.partition}:${letter.offset}: replayed ${letter.replayedAt?.toISOString()} (--force to replay again)`,
        );
      for (const { letter, why } of result.refused)
        console.log(`refused ${letter.dlqTopic}:${letter.partition}:${letter.offset}: ${why}`);
      console.log(
        `${result.replayed.length} ${verb}, ${result.alreadyReplayed.length} already replayed, ${result.refused.length} refused`,
      );
      return;
    }
    default:
      fail(`unknown command ${command}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
