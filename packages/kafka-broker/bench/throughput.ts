/**
 * Throughput of the development broker as kafkajs sees it on this machine: an idempotent producer (acks -1) and a
 * consumer group reading everything back. No assertions; prints a table. Run from the package directory:
 *   node -r @swc-node/register bench/throughput.ts [messages] [messageBytes] [batchSize]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../src';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const [totalArg, sizeArg, batchArg] = process.argv.slice(2);
const TOTAL = Number(totalArg ?? 200_000);
const MESSAGE_BYTES = Number(sizeArg ?? 100);
const BATCH_SIZE = Number(batchArg ?? 1000);
const PARTITIONS = 3;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-broker-bench-'));
  const broker = await startBroker({ port: 0, dataDir });
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
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
      `send() batches of ${BATCH_SIZE}, ${PARTITIONS} partitions, node ${process.version}, ${os.cpus().length} CPUs`,
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
