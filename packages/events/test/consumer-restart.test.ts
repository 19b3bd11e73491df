import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { PointsAwarded, toKafkaMessage } from '../src';
import { pointsAwardedEvent, pointsOf, startTestBed, stopTestBed, waitFor, type EventsTestBed } from './support';

/**
 * A consumer process killed (no LeaveGroup, as in a crash or an OOM kill) and started again: its successor holds the
 * partitions and handles new events within 10 s of starting, not after the old 30 s session timeout.
 */
let bed: EventsTestBed;
const children: ChildProcess[] = [];

beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await stopTestBed(bed);
});

function startConsumerProcess(): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      path.join(__dirname, 'fixtures', 'restartable-consumer.ts'),
      bed.database.url,
      bed.broker.brokers,
    ],
    { cwd: path.resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return child;
}

async function award(userId: string): Promise<void> {
  const event = pointsAwardedEvent(userId, 10);
  await bed.producer.send({ topic: PointsAwarded.topic, messages: [toKafkaMessage(event)] });
}

describe('a consumer process killed and started again', () => {
  it('consumes again within 10 s of its restart', async () => {
    const first = startConsumerProcess();
    const before = randomUUID();
    await award(before);
    await waitFor(
      async () => (await pointsOf(bed.dataSource, before)) === 10,
      'the first process handles an event',
      30_000,
    );

    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;

    const after = randomUUID();
    await award(after);
    startConsumerProcess();
    // The whole bound includes the new process's start-up; the dead member's session (6 s) runs out meanwhile.
    await waitFor(
      async () => (await pointsOf(bed.dataSource, after)) === 10,
      'the restarted process handles an event',
      10_000,
    );
  });
});
