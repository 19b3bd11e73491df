import { randomUUID } from 'node:crypto';
import { dlqTopic, OrderConfirmed, PointsAwarded } from '@taoyuan/events';
import { collectMessages, graphqlData, graphqlRequest } from '@taoyuan/testing';
import type { Consumer } from 'kafkajs';
import { everyResidentFact } from './support/events';
import {
  COMMUNITY_ID,
  eventually,
  startNotificationsForTests,
  waitFor,
  type NotificationNode,
  type NotificationsUnderTest,
  type Resident,
} from './support/start-notifications';

/**
 * Issue 14: a resident's own events become their notifications — once each, for them alone — readable and markable
 * as read in GraphQL, in Chinese or English.
 */
let service: NotificationsUnderTest;
let deadLetters: { messages: { value: Buffer | null }[]; consumer: Consumer };

beforeAll(async () => {
  service = await startNotificationsForTests();
  deadLetters = await collectMessages(service.brokers, [dlqTopic(OrderConfirmed.topic)]);
});
afterAll(async () => {
  await deadLetters?.consumer.disconnect();
  await service?.stop();
});

const MARK = `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`;
const MARK_ALL = `mutation { markAllNotificationsRead }`;
const OWN = `query($id: ID!) { _entities(representations: [{ __typename: "User", id: $id }]) {
  ... on User { unreadNotificationCount notifications { edges { node { id } } } } } }`;

async function notificationsOf(resident: Resident, count: number, language?: string): Promise<NotificationNode[]> {
  return eventually(async () => {
    const list = await service.list(resident, { language });
    return list.length >= count ? list : undefined;
  }, `${count} notification(s) for ${resident.id}`);
}

function confirmedOrder(userId: string) {
  return { orderId: randomUUID(), userId, communityId: COMMUNITY_ID, at: new Date().toISOString() };
}

describe('from events to notifications', () => {
  it('each listed event produces exactly one notification for the resident it concerns, none for anyone else', async () => {
    const resident = await service.resident();
    const neighbour = await service.resident();
    const facts = everyResidentFact(resident.id);
    for (const fact of facts) await service.send(fact.definition, fact.payload);
    // A fact of the neighbour's own, sent last: once it is there, every fact before it has been handled too.
    await service.send(OrderConfirmed, confirmedOrder(neighbour.id));
    await notificationsOf(neighbour, 1);
    const list = await notificationsOf(resident, facts.length);

    expect(list).toHaveLength(facts.length);
    expect(list.map((n) => n.kind).sort()).toEqual(facts.map((fact) => fact.kind).sort());
    expect(await service.list(neighbour)).toHaveLength(1);
    // Numbered 1..n per resident, newest first.
    expect(list.map((n) => n.sequence)).toEqual(facts.map((_, index) => facts.length - index));
    const byKind = new Map(list.map((n) => [n.kind, n]));
    expect(byKind.get('POINTS_AWARDED')?.points).toBe(30);
    expect(byKind.get('ORDER_CONFIRMED')?.orderId).toBe(
      facts.find((f) => f.kind === 'ORDER_CONFIRMED')?.payload.orderId,
    );
    expect(byKind.get('SIGN_UP_CONFIRMED')?.opportunityId).toBe(
      facts.find((f) => f.kind === 'SIGN_UP_CONFIRMED')?.payload.opportunityId,
    );
    expect(list.every((n) => !n.read)).toBe(true);
    // Every kind reads as a sentence in both languages: no placeholder left unfilled, Chinese in Chinese.
    const chinese = await service.list(resident, { language: 'zh-CN' });
    for (const n of [...list, ...chinese]) expect(`${n.title} ${n.body}`).not.toMatch(/undefined|NaN|\{|_[A-Z]/);
    for (const n of chinese) expect(n.title).toMatch(/[\u4e00-\u9fff]/);
    expect(new Set(chinese.map((n) => n.body)).size).toBe(facts.length);
  });

  it('the organizer or decider an event names hears nothing of it', async () => {
    const resident = await service.resident();
    const leader = await service.resident();
    const facts = everyResidentFact(resident.id).map((fact) =>
      'decidedBy' in fact.payload ? { ...fact, payload: { ...fact.payload, decidedBy: leader.id } } : fact,
    );
    for (const fact of facts) await service.send(fact.definition, fact.payload);
    await notificationsOf(resident, facts.length);
    expect(await service.list(leader)).toEqual([]);
  });

  it('an event from a producer other than its declared one is refused (dead-lettered) and tells nobody', async () => {
    const resident = await service.resident();
    const forged = confirmedOrder(resident.id);
    await service.send(OrderConfirmed, forged, { source: '/taoyuan/volunteering' });
    await waitFor(
      () => deadLetters.messages.some((message) => message.value?.toString().includes(forged.orderId)),
      'the forged order confirmation in the dead-letter topic',
    );
    // A genuine one on the same partition (same key) afterwards: handled, so the forged one was passed over.
    await service.send(OrderConfirmed, { ...confirmedOrder(resident.id), orderId: forged.orderId });
    const list = await notificationsOf(resident, 1);
    expect(list).toHaveLength(1);
  });

  it('a duplicated event (same event id, redelivered) tells the resident once', async () => {
    const resident = await service.resident();
    const fact = confirmedOrder(resident.id);
    const eventId = randomUUID();
    await service.send(OrderConfirmed, fact, { id: eventId });
    await notificationsOf(resident, 1);
    await service.send(OrderConfirmed, fact, { id: eventId });
    // The next event on the same partition is handled only after the duplicate.
    await service.send(OrderConfirmed, { ...confirmedOrder(resident.id), orderId: fact.orderId });
    const list = await notificationsOf(resident, 2);
    expect(list).toHaveLength(2);
    expect(list.map((n) => n.sequence)).toEqual([2, 1]);
  });
});

describe('reading', () => {
  it('marks read only the caller’s own notifications, and counts only what changed', async () => {
    const resident = await service.resident();
    const neighbour = await service.resident();
    for (let i = 0; i < 3; i += 1) await service.send(OrderConfirmed, confirmedOrder(resident.id));
    await service.send(OrderConfirmed, confirmedOrder(neighbour.id));
    const [newest, middle] = await notificationsOf(resident, 3);
    const [theirs] = await notificationsOf(neighbour, 1);

    const marked = await graphqlData<{ markNotificationsRead: number }>(
      service.url,
      MARK,
      { ids: [newest.id, theirs.id, 'not-an-id', newest.id] },
      { token: resident.token },
    );
    expect(marked.markNotificationsRead).toBe(1);
    // Again: already read, nothing changes.
    const again = await graphqlData<{ markNotificationsRead: number }>(
      service.url,
      MARK,
      { ids: [newest.id] },
      { token: resident.token },
    );
    expect(again.markNotificationsRead).toBe(0);
    expect((await service.list(neighbour))[0].read).toBe(false);

    const unread = await service.list(resident, { unreadOnly: true });
    expect(unread.map((n) => n.id)).toEqual([middle.id, (await service.list(resident))[2].id]);
    const own = await graphqlData<{ _entities: { unreadNotificationCount: number }[] }>(
      service.url,
      OWN,
      { id: resident.id },
      { token: resident.token, asGatewayTo: 'notifications' },
    );
    expect(own._entities[0].unreadNotificationCount).toBe(2);

    const all = await graphqlData<{ markAllNotificationsRead: number }>(
      service.url,
      MARK_ALL,
      {},
      { token: resident.token },
    );
    expect(all.markAllNotificationsRead).toBe(2);
    expect(await service.list(resident, { unreadOnly: true })).toEqual([]);
    expect((await service.list(neighbour))[0].read).toBe(false);
  });

  it('another resident’s notifications are FORBIDDEN (NOT_YOURS), to staff as well; anonymous callers are UNAUTHENTICATED', async () => {
    const resident = await service.resident();
    const neighbour = await service.resident();
    await service.send(OrderConfirmed, confirmedOrder(resident.id));
    await notificationsOf(resident, 1);
    const asNeighbour = await graphqlRequest(
      service.url,
      OWN,
      { id: resident.id },
      {
        token: neighbour.token,
        asGatewayTo: 'notifications',
      },
    );
    expect(asNeighbour.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOURS' });
    const worker = await service.resident(COMMUNITY_ID, ['RESIDENT', 'COMMUNITY_WORKER', 'COMMITTEE']);
    const asStaff = await graphqlRequest(
      service.url,
      OWN,
      { id: resident.id },
      {
        token: worker.token,
        asGatewayTo: 'notifications',
      },
    );
    expect(asStaff.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOURS' });
    const anonymous = await graphqlRequest(service.url, MARK, { ids: [] });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('texts are rendered when read, in the language the request asks for', async () => {
    const resident = await service.resident();
    await service.send(PointsAwarded, {
      entryId: randomUUID(),
      userId: resident.id,
      communityId: COMMUNITY_ID,
      points: 20,
      kind: 'EARNED_VOLUNTEERING',
      sourceType: 'ATTENDANCE',
      sourceId: randomUUID(),
      lifetimeEarned: 90,
      awardedAt: new Date().toISOString(),
    });
    const [chinese] = await notificationsOf(resident, 1, 'zh-CN,zh;q=0.9,en;q=0.5');
    expect(chinese.title).toBe('获得 20 公益积分');
    expect(chinese.body).toBe('志愿服务时长已确认，获得 20 公益积分，累计 90 分。');
    const [english] = await service.list(resident, { language: 'en-US,en;q=0.8' });
    expect(english.title).toBe('20 public-welfare points');
    expect(english.body).toBe('Your volunteering hours were verified: 20 points, 90 earned in all.');
    expect(english.id).toBe(chinese.id);
  });
});
