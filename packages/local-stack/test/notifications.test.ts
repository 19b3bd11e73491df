import { builders, openEventStream, type EventStreamReader } from '@taoyuan/testing';
import { gql, openShift, signInDemo, signUp } from './support/flows';
import { eventually, startSystem, type SystemUnderTest } from './support/start-system';

/**
 * Issue 14's live notifications through the public host, every service its own process: 张伟 signs up for 王芳's
 * opportunity through the gateway, and the notification reaches his open stream on the gateway
 * (volunteering's outbox → Kafka → notifications' inbox → PostgreSQL NOTIFY → SSE → the gateway's proxy).
 */
let system: SystemUnderTest;
let worker: string;
let zhangWei: string;
let stream: EventStreamReader | undefined;

beforeAll(async () => {
  system = await startSystem();
  ({ worker } = await signInDemo(system.gatewayUrl));
  zhangWei = (await builders(system.gatewayUrl).login('13800000011', 'taoyuan-demo')).accessToken;
}, 120_000);
afterAll(async () => {
  stream?.close();
  await system?.stop();
});

interface Notification {
  id: string;
  kind: string;
  title: string;
  opportunityId: string | null;
}

const MINE = `query { me { unreadNotificationCount notifications(first: 50) { edges { node { id kind title opportunityId } } } } }`;

describe('live notifications through the gateway', () => {
  it('a resident signs up and sees the confirmation arrive on the gateway’s stream, then in GraphQL in either language', async () => {
    const origin = new URL(system.gatewayUrl).origin;
    stream = await openEventStream(`${origin}/notifications/stream`, {
      authorization: `Bearer ${zhangWei}`,
      'accept-language': 'zh-CN',
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const { opportunityId, shiftId } = await openShift(system.gatewayUrl, worker, {
      startsAt: new Date(Date.now() + 24 * 3600_000),
      title: '周六上午楼道清洁',
    });
    await signUp(system.gatewayUrl, zhangWei, shiftId);

    const live = await eventually(async () => {
      const received = stream?.events
        .map((event) => ({ eventId: event.id, ...(JSON.parse(event.data) as Notification) }))
        .find((notification) => notification.opportunityId === opportunityId);
      return received;
    }, 'the sign-up confirmation on the gateway’s notification stream');
    expect(live).toMatchObject({ kind: 'SIGN_UP_CONFIRMED', title: '报名成功' });
    expect(Number(live.eventId)).toBeGreaterThan(0);

    const { me } = await gql(system.gatewayUrl)<{
      me: { unreadNotificationCount: number; notifications: { edges: { node: Notification }[] } };
    }>(MINE, {}, zhangWei);
    const stored = me.notifications.edges.map((edge) => edge.node).find((node) => node.id === live.id);
    // graphqlData asks in English: the gateway passes the language on to notifications.
    expect(stored).toMatchObject({ kind: 'SIGN_UP_CONFIRMED', title: 'You are signed up', opportunityId });
    expect(me.unreadNotificationCount).toBeGreaterThan(0);
  });
});
