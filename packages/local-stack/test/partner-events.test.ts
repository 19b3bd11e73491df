import { TAOYUANJU } from '@taoyuan/demo-data';
import type { EventEnvelope } from '@taoyuan/events';
import { startPartnerConsumer } from '@taoyuan/partner-consumer';
import { builders } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

let system: SystemUnderTest;
let partner: Consumer;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  system = await startSystem();
  partner = await startPartnerConsumer({
    brokers: [system.kafkaBrokers],
    sasl: system.kafkaSasl('partner'),
    groupId: 'partner-civil-affairs-bureau-test',
    onEvent: (event) => {
      received.push(event);
    },
  });
}, 120_000);
afterAll(async () => {
  await partner?.disconnect();
  await system?.stop();
});

describe('the whole system, as pnpm start runs it', () => {
  it('registering through the gateway reaches a partner agency as identity.user.registered, without personal data', async () => {
    const resident = await builders(system.gatewayUrl).newResident({
      communityId: TAOYUANJU.id,
      displayName: '诸葛亮',
    });
    const event = await eventually(
      async () => received.find((candidate) => candidate.subject === resident.id),
      'the registration event at the partner',
    );
    expect(event).toMatchObject({
      type: 'taoyuan.identity.user.registered.v1',
      source: '/taoyuan/identity',
      communityid: TAOYUANJU.id,
    });
    expect(event.data).toEqual({ userId: resident.id, communityId: TAOYUANJU.id, registeredAt: expect.any(String) });
    expect(JSON.stringify(event)).not.toMatch(new RegExp(`${resident.phone}|诸葛亮`));
  });
});
