import { TAOYUANJU } from '@taoyuan/demo-data';
import { TierReached } from '@taoyuan/events';
import { builders } from '@taoyuan/testing';
import {
  attendAndVerify,
  confirmResidence,
  joinOrganization,
  openShift,
  setPointsPerHour,
  signInDemo,
  signUp,
  VOLUNTEER_TEAM,
} from './support/flows';
import { startOtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Operators follow one request across processes and Kafka: every process exports its spans with the standard OTEL_*
 * configuration (OTLP over HTTP, JSON) to a receiver standing in for the collector, and the verification that lifts
 * a resident to ACTIVIST shows as one trace from the gateway to organizations' promotion candidate.
 */
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let system: SystemUnderTest;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startSystem({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export within a fraction of a second instead of the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  // Eight processes start on a machine that may be busy: generous, like the other whole-system tests need.
}, 300_000);
afterAll(async () => {
  await system?.stop();
  await receiver?.stop();
});

function one(spans: ReceivedSpan[], service: string, name: string | RegExp): ReceivedSpan {
  const found = spans.filter(
    (span) => span.service === service && (typeof name === 'string' ? span.name === name : name.test(span.name)),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${service} span ${String(name)}, found ${found.length}:\n${listing(spans)}`);
  return found[0];
}

function listing(spans: ReceivedSpan[]): string {
  return spans.map((span) => `  ${span.service}: ${span.name}`).join('\n');
}

describe('a trace of a points award', () => {
  it('runs from the gateway through volunteering and its outbox relay, across Kafka, into organizations’ consumer', async () => {
    const tokens = await signInDemo(system.gatewayUrl);
    const resident = await builders(system.gatewayUrl).newResident({
      communityId: TAOYUANJU.id,
      displayName: '罗雨桐',
    });
    await confirmResidence(system.gatewayUrl, resident, tokens.committee);
    await joinOrganization(system.gatewayUrl, resident.accessToken, VOLUNTEER_TEAM.id);
    // 1,000 points an hour × 10 for environment work: 0.01 h (36 s) of a shift is 100 points, the ACTIVIST tier.
    await setPointsPerHour(system.gatewayUrl, tokens.committee, 1000, 10);
    const shift = await openShift(system.gatewayUrl, tokens.worker, { durationMs: 36_000 });
    const signUpId = await signUp(system.gatewayUrl, resident.accessToken, shift.shiftId);
    await attendAndVerify(system.gatewayUrl, shift, signUpId, resident.accessToken, tokens.worker, 0.01);

    const topic = TierReached.topic;
    const handled = await eventually(
      async () =>
        receiver.spans.find(
          (span) =>
            span.service === 'organizations' &&
            span.name === `handle ${topic}` &&
            receiver.spans.some(
              (gatewaySpan) => gatewaySpan.traceId === span.traceId && gatewaySpan.service === 'gateway',
            ),
        ),
      'organizations handling tier-reached in the trace of a gateway request',
    );
    const trace = receiver.spans.filter((span) => span.traceId === handled.traceId);

    // The client's request at the gateway, its fetch to volunteering, and volunteering's server span under it.
    const request = one(trace, 'gateway', 'mutation VerifyAttendance');
    expect(request.parentSpanId).toBeUndefined();
    const fetch = one(trace, 'gateway', 'subgraph volunteering');
    const atVolunteering = one(trace, 'volunteering', /^mutation VerifyAttendance/);
    expect(atVolunteering.parentSpanId).toBe(fetch.spanId);
    // Its SQL, inside the same trace.
    expect(
      trace.some((span) => span.service === 'volunteering' && span.attributes['db.system.name'] === 'postgresql'),
    ).toBe(true);

    // The outbox row written in that transaction, published by the relay, handled by organizations' consumer.
    const created = one(trace, 'volunteering', `create ${topic}`);
    const published = one(trace, 'volunteering', `publish ${topic}`);
    expect(published.parentSpanId).toBe(created.spanId);
    expect(handled.parentSpanId).toBe(created.spanId);
    expect(handled.attributes['messaging.consumer.group.name']).toBe('organizations');
    // And the promotion candidate organizations writes while handling it.
    const statements = trace
      .filter((span) => span.service === 'organizations')
      .map((span) => span.attributes['db.query.text']);
    expect(statements.some((text) => typeof text === 'string' && /INSERT INTO "?promotion/i.test(text))).toBe(true);
  }, 180_000);
});
