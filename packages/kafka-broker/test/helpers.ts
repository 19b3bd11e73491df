import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { startBroker, type BrokerOptions, type RunningBroker } from '../src';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export const PACKAGE_DIR = path.resolve(__dirname, '..');

export function makeDataDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kafka-broker-${prefix}-`));
}

export async function startTestBroker(
  prefix: string,
  options: Partial<BrokerOptions> = {},
): Promise<RunningBroker & { dataDir: string }> {
  const dataDir = options.dataDir ?? makeDataDir(prefix);
  // KAFKA_BROKER_TEST_LOG=1 prints the broker's debug log (connections, group state changes) while debugging a test.
  const log = (obj: Record<string, unknown>, msg: string): void => console.log(msg, JSON.stringify(obj));
  const logger = process.env.KAFKA_BROKER_TEST_LOG ? { debug: log, info: log, warn: log, error: log } : undefined;
  const broker = await startBroker({ port: 0, logger, ...options, dataDir });
  return { ...broker, dataDir, stop: broker.stop };
}

/** A kafkajs client with fast retries, so reconnects and rebalances do not dominate the suite's run time. */
export function kafkaClient(brokers: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'kafka-broker-test',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
    ...overrides,
  });
}

/** Consumer settings that make heartbeats, rebalances and idle fetches quick. */
export const fastConsumer = {
  maxWaitTimeInMs: 100,
  heartbeatInterval: 300,
  sessionTimeout: 6000,
  rebalanceTimeout: 3000,
} as const;

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a test fixture (a .ts file in test/fixtures) in its own node process; lines of its stdout are JSON. */
export function spawnFixture(
  name: string,
  args: string[],
): { child: ChildProcess; nextMessage: () => Promise<unknown> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'fixtures', name), ...args], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  });
  const messages: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const message: unknown = JSON.parse(line);
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else messages.push(message);
    }
  });
  const nextMessage = (): Promise<unknown> =>
    messages.length > 0
      ? Promise.resolve(messages.shift())
      : new Promise((resolve, reject) => {
          waiting.push(resolve);
          child.once('exit', (code) => reject(new Error(`fixture ${name} exited (${code}) before a message`)));
        });
  return { child, nextMessage };
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
