import { randomUUID } from 'node:crypto';
import {
  acceptEvent,
  CATALOGUE,
  checkedEventTime,
  MemberPromoted,
  PointsAwarded,
  producerSource,
  RejectedEventError,
  toKafkaMessage,
  type EventEnvelope,
} from '../src';
import { pointsAwardedEvent } from './support';

function asReceived(envelope: EventEnvelope) {
  const message = toKafkaMessage(envelope);
  return { headers: message.headers, value: Buffer.from(message.value as string) };
}

function rejection(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof RejectedEventError) return error.reason;
    throw error;
  }
}

const now = new Date('2026-12-01T12:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('accepting an event', () => {
  it('accepts an event from its declared producer and hands back its time as a Date', () => {
    const event = pointsAwardedEvent(randomUUID(), 10, { time: minutes(-1) });
    const accepted = acceptEvent(PointsAwarded, asReceived(event), { now });
    expect(accepted.time).toEqual(minutes(-1));
    expect(accepted.envelope.data).toEqual(event.data);
  });

  it('refuses an event type from any producer but the one the catalogue declares', () => {
    const forged = pointsAwardedEvent(randomUUID(), 1_000, { source: '/taoyuan/identity' });
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived(forged), { now: new Date() }))).toBe(
      'UNTRUSTED_SOURCE',
    );
    const nearMiss = pointsAwardedEvent(randomUUID(), 1_000, { source: '/taoyuan/volunteering/' });
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived(nearMiss)))).toBe('UNTRUSTED_SOURCE');
  });

  it('names, for every catalogue event, the source its producer’s Outbox stamps', () => {
    for (const definition of CATALOGUE) expect(producerSource(definition.producer)).toMatch(/^\/taoyuan\/[a-z]+$/);
    expect(producerSource(MemberPromoted.producer)).toBe('/taoyuan/organizations');
  });

  it('refuses an event of another type on a topic', () => {
    const event = pointsAwardedEvent(randomUUID(), 1);
    const relabelled = { ...event, type: MemberPromoted.cloudEventType };
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived(relabelled)))).toBe('UNEXPECTED_TYPE');
  });

  it('refuses an event dated further in the future than the clock skew, and accepts one within it', () => {
    const within = pointsAwardedEvent(randomUUID(), 1, { time: minutes(4) });
    expect(acceptEvent(PointsAwarded, asReceived(within), { now }).time).toEqual(minutes(4));
    const beyond = pointsAwardedEvent(randomUUID(), 1, { time: minutes(6) });
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived(beyond), { now }))).toBe('FUTURE_TIME');
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived(within), { now, maxClockSkewMs: 60_000 }))).toBe(
      'FUTURE_TIME',
    );
  });

  it('refuses the year 9999 and times it cannot read', () => {
    expect(rejection(() => checkedEventTime({ time: '9999-12-31T23:59:59.999Z' }, { now }))).toBe('FUTURE_TIME');
    for (const time of ['', 'yesterday', '2026-12-01', '2026-13-45T99:00:00Z', '+275760-09-13T00:00:00.000Z'])
      expect(rejection(() => checkedEventTime({ time }, { now }))).toBe('MALFORMED');
    expect(checkedEventTime({ time: '2026-12-01T20:00:00+08:00' }, { now })).toEqual(now);
  });

  it('refuses ids that are not UUIDs and payloads that do not match the schema', () => {
    const event = pointsAwardedEvent(randomUUID(), 1);
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived({ ...event, id: 'x' })))).toBe('MALFORMED');
    expect(rejection(() => acceptEvent(PointsAwarded, asReceived({ ...event, communityid: 'x' })))).toBe('MALFORMED');
    expect(
      rejection(() => acceptEvent(PointsAwarded, asReceived({ ...event, data: { ...event.data, points: 'ten' } }))),
    ).toBe('SCHEMA_MISMATCH');
    expect(rejection(() => acceptEvent(PointsAwarded, { headers: {}, value: Buffer.from('{}') }))).toBe('MALFORMED');
  });
});
