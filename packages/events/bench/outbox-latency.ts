import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { startBroker } from '@taoyuan/kafka-broker';
import { createDataSource, createLogger } from '@taoyuan/service-kit';
import { databaseUrl, startEmbeddedPostgres } from '@taoyuan/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable, Outbox, OutboxRelay, UserRegistered } from '../src';

/**
 * Outbox relay latency: the time from a transaction's commit (the row's clock_timestamp) to Kafka's acknowledgement of
 * the published event, with the relay woken by LISTEN/NOTIFY. Commits one event at a time, spaced out, like real use.
 *   node -r @swc-node/register bench/outbox-latency.ts [events=300]
 */
class BenchSchema1700000000000 implements MigrationInterface {
  async up(db: QueryRunner) {
    await createOutboxTable(db);
  }
  async down() {}
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const events = Number(process.argv[2] ?? 300);
  const work = mkdtempSync(path.join(tmpdir(), 'taoyuan-bench-'));
  const postgres = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false });
  const serverUrl = process.env.DATABASE_URL ?? postgres!.adminUrl;
  const name = `bench_outbox_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = databaseUrl(serverUrl, name);
  const broker = await startBroker({ port: 0, dataDir: path.join(work, 'kafka') });
  const { dataSource } = createDataSource({ url, entities: [], migrations: [BenchSchema1700000000000] });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const relay = new OutboxRelay({ databaseUrl: url, kafka, logger: createLogger('bench', 'silent'), service: 'bench' });
  await relay.start();
  const outbox = new Outbox('/taoyuan/bench');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (let i = 0; i < events; i += 1) {
    await dataSource.transaction((manager) =>
      outbox.publish(
        manager,
        UserRegistered,
        { userId: randomUUID(), communityId: TAOYUANJU.id, registeredAt: new Date().toISOString() },
        { communityId: TAOYUANJU.id },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const deadline = Date.now() + 30_000;
  while (relay.stats.published < events && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const sorted = [...relay.stats.latenciesMs].sort((a, b) => a - b);
  console.log(
    `outbox relay, commit → Kafka ack (LISTEN/NOTIFY wake-up, idempotent producer, acks=all), ${relay.stats.published} events:`,
  );
  console.log(
    `  p50 ${percentile(sorted, 50)} ms   p95 ${percentile(sorted, 95)} ms   p99 ${percentile(sorted, 99)} ms   max ${sorted.at(-1)} ms`,
  );
  await relay.stop();
  await dataSource.destroy();
  await broker.stop();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
  await postgres?.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
