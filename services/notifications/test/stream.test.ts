import { OrderConfirmed } from '@taoyuan/events';
import { openEventStream, type EventStreamReader } from '@taoyuan/testing';
import {
  orderFor,
  eventually,
  startNotificationsForTests,
  waitFor,
  type NotificationsUnderTest,
} from './support/start-notifications';

/**
 * `GET /notifications/stream`, over real HTTP, from events on the real broker: live delivery, and a reconnect with
 * Last-Event-ID that loses nothing and repeats nothing.
 */
let service: NotificationsUnderTest;

beforeAll(async () => {
  service = await startNotificationsForTests({
    env: { NOTIFICATION_HEARTBEAT_SECONDS: '1', NOTIFICATION_STREAMS_PER_RESIDENT: '3' },
  });
});
afterAll(() => service?.stop());

const notificationsIn = (stream: EventStreamReader) =>
  stream.events
    .filter((event) => event.event === 'notification')
    .map((event) => ({
      ...(JSON.parse(event.data) as { sequence: number; orderId: string; title: string }),
      eventId: event.id,
    }));

describe('the notification stream', () => {
  it('delivers live, and after a reconnect with Last-Event-ID replays exactly what was missed, then goes on live', async () => {
    const resident = await service.resident();
    const neighbour = await service.resident();
    const first = await service.stream(resident);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const live = [orderFor(resident), orderFor(resident)];
    for (const order of live) await service.send(OrderConfirmed, order);
    await service.send(OrderConfirmed, orderFor(neighbour));
    await waitFor(() => notificationsIn(first).length === 2, 'two live notifications');
    first.close();
    await first.ended;

    const missed = [orderFor(resident), orderFor(resident), orderFor(resident)];
    for (const order of missed) await service.send(OrderConfirmed, order);
    // Stored while nobody listened.
    await waitFor(async () => (await service.list(resident)).length === 5, 'the missed notifications stored');

    const lastSeen = notificationsIn(first).at(-1)?.eventId ?? '';
    const second = await service.stream(resident, { 'last-event-id': lastSeen });
    await waitFor(() => notificationsIn(second).length === 3, 'the three missed notifications replayed');
    const after = orderFor(resident);
    await service.send(OrderConfirmed, after);
    await waitFor(() => notificationsIn(second).length === 4, 'the next one live');
    second.close();

    const received = [...notificationsIn(first), ...notificationsIn(second)];
    expect(received.map((n) => n.eventId)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(received.map((n) => n.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(received.map((n) => n.orderId)).toEqual([...live, ...missed, after].map((order) => order.orderId));
  });

  it('without Last-Event-ID sends only what arrives from now on; Last-Event-ID 0 replays everything, in the language asked for', async () => {
    const resident = await service.resident();
    const before = orderFor(resident);
    await service.send(OrderConfirmed, before);
    await waitFor(async () => (await service.list(resident)).length === 1, 'the notification stored');
    const fresh = await service.stream(resident, { 'accept-language': 'en' });
    // A heartbeat proves the stream is running: had it replayed, the stored notification would have come first.
    await waitFor(() => fresh.comments.length > 0, 'a heartbeat');
    expect(notificationsIn(fresh)).toEqual([]);
    const after = orderFor(resident);
    await service.send(OrderConfirmed, after);
    await waitFor(() => notificationsIn(fresh).length === 1, 'the new notification live');
    expect(notificationsIn(fresh)[0]).toMatchObject({ orderId: after.orderId, eventId: '2', title: 'Order confirmed' });
    fresh.close();

    const replay = await service.stream(resident, { 'last-event-id': '0', 'accept-language': 'zh-CN' });
    await waitFor(() => notificationsIn(replay).length === 2, 'both replayed');
    expect(notificationsIn(replay).map((n) => [n.orderId, n.title])).toEqual([
      [before.orderId, '订单已确认'],
      [after.orderId, '订单已确认'],
    ]);
    replay.close();
  });

  it('an instance that consumes nothing streams what another instance consumed (no sticky sessions)', async () => {
    const resident = await service.resident();
    const other = await service.streamOnlyInstance();
    const stream = await openEventStream(`${new URL(other.url).origin}/notifications/stream`, {
      authorization: `Bearer ${resident.token}`,
    });
    const order = orderFor(resident);
    await service.send(OrderConfirmed, order);
    await waitFor(() => notificationsIn(stream).length === 1, 'the notification on the other instance’s stream');
    expect(notificationsIn(stream)[0]).toMatchObject({ orderId: order.orderId, eventId: '1' });
    stream.close();
  });

  it('holds at most NOTIFICATION_STREAMS_PER_RESIDENT open streams per resident; a closed one frees its place', async () => {
    const resident = await service.resident();
    const open = [await service.stream(resident), await service.stream(resident), await service.stream(resident)];
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200]);
    const metrics = await (await fetch(`${service.origin}/metrics`)).text();
    expect(Number(/^taoyuan_notification_streams_open (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    const fourth = await fetch(`${service.origin}/notifications/stream`, {
      headers: { authorization: `Bearer ${resident.token}` },
    });
    expect(fourth.status).toBe(429);
    expect(await fourth.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_REQUESTS' } }] });
    // Another resident is not affected.
    const neighbour = await service.stream(await service.resident());
    expect(neighbour.status).toBe(200);
    neighbour.close();
    open[0].close();
    await open[0].ended;
    const again = await eventually(async () => {
      const stream = await service.stream(resident);
      if (stream.status === 200) return stream;
      stream.close();
      return undefined;
    }, 'a place on the freed stream');
    for (const stream of [...open, again]) stream.close();
  });

  it('refuses a request without a valid bearer token', async () => {
    const anonymous = await fetch(`${service.origin}/notifications/stream`);
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${service.origin}/notifications/stream`, {
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(forged.status).toBe(401);
  });
});
