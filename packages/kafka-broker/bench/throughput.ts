/**
 * Throughput of the development broker as kafkajs sees it on this machine: an idempotent producer (acks -1) and a
 * consumer group reading everything back. No assertions; prints a table. Run from the package directory:
 *   node -r @swc-node/register bench/throughput.ts [messages] [messageBytes] [batchSize]
 * BENCH_SASL=scram-sha-256 (or plain) runs the broker with a security config, as `pnpm start` does, and the clients
 * log in and are checked against the topic and group ACLs on every request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type SecurityConfig } from '../src';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const [totalArg, sizeArg, batchArg] = process.argv.slice(2);
const TOTAL = Number(totalArg ?? 200_000);
const MESSAGE_BYTES = Number(sizeArg ?? 100);
const BATCH_SIZE = Number(batchArg ?? 1000);
const PARTITIONS = 3;
const SASL = process.env.BENCH_SASL as 'plain' | 'scram-sha-256' | undefined;
const PASSWORD = 'bench-password';

/** The shape of the catalogue's rules for one service: literal topics and a group prefix, among other principals. */
const security: SecurityConfig = {
  users: [{ name: 'bench', password: PASSWORD }],
  acls: [
    ...Array.from({ length: 40 }, (_, i) => ({ principal: 'bench', operation: 'READ' as const, topic: `other-${i}` })),
    { principal: 'bench', operation: 'WRITE', topic: 'bench' },
    { principal: 'bench', operation: 'READ', topic: 'bench' },
    { principal: 'bench', operation: 'READ', groupPrefix: 'bench' },
  ],
};

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-broker-bench-'));
  const broker = await startBroker({ port: 0, dataDir, security: SASL ? security : undefined });
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: [broker.brokers],
    logLevel: logLevel.NOTHING,
    sasl:
      SASL === 'plain'
        ? { mechanism: 'plain', username: 'bench', password: PASSWORD }
        : SASL === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', username: 'bench', password: PASSWORD }
          : undefined,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'bench', numPartitions: PARTITIONS }] });
  await admin.disconnect();

  const payload = 'x'.repeat(MESSAGE_BYTES);
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const produceStart = process.hrtime.bigint();
  for (let sent = 0; sent < TOTAL; sent += BATCH_SIZE) {
    const count = Math.min(BATCH_SIZE, TOTAL - sent);
    await producer.send({
      topic: 'bench',
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({ key: String(sent + i), value: payload })),
    });
  }
  const produceSeconds = Number(process.hrtime.bigint() - produceStart) / 1e9;
  await producer.disconnect();

  let consumed = 0;
  const consumer = kafka.consumer({ groupId: 'bench-group', maxWaitTimeInMs: 100, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench', fromBeginning: true });
  const consumeStart = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= TOTAL) resolve();
      },
    });
  });
  const consumeSeconds = Number(process.hrtime.bigint() - consumeStart) / 1e9;
  await consumer.disconnect();
  await broker.stop();
  const storedBytes = fs
    .readdirSync(path.join(dataDir, 'topics', 'bench'))
    .filter((name) => /^\d+$/.test(name))
    .flatMap((partition) =>
      fs.readdirSync(path.join(dataDir, 'topics', 'bench', partition)).map((file) => ({ partition, file })),
    )
    .reduce(
      (sum, { partition, file }) => sum + fs.statSync(path.join(dataDir, 'topics', 'bench', partition, file)).size,
      0,
    );
  fs.rmSync(dataDir, { recursive: true, force: true });

  const rate = (seconds: number): string => Math.round(TOTAL / seconds).toLocaleString('en-US');
  const mbPerSecond = (seconds: number): string => ((TOTAL * MESSAGE_BYTES) / seconds / 1e6).toFixed(1);
  console.log(
    `kafka-broker throughput: ${TOTAL.toLocaleString('en-US')} messages of ${MESSAGE_BYTES} B, ` +
      `send() batches of ${BATCH_SIZE}, ${PARTITIONS} partitions, node ${process.version}, ${os.cpus().length} CPUs, ` +
      (SASL ? `SASL ${SASL} with ACLs` : 'no SASL'),
  );
  console.table([
    {
      phase: 'produce (idempotent, acks -1)',
      seconds: produceSeconds.toFixed(2),
      'msg/s': rate(produceSeconds),
      'MB/s payload': mbPerSecond(produceSeconds),
    },
    {
      phase: 'consume (eachBatch)',
      seconds: consumeSeconds.toFixed(2),
      'msg/s': rate(consumeSeconds),
      'MB/s payload': mbPerSecond(consumeSeconds),
    },
  ]);
  console.log(`stored on disk: ${(storedBytes / 1e6).toFixed(1)} MB (segments + indexes)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
