import { OrderConfirmed } from '@taoyuan/events';
import { createLogger } from '@taoyuan/service-kit';
import { NotificationRetention } from '../src/domain/notification-retention';
import {
  orderFor,
  startNotificationsForTests,
  waitFor,
  type NotificationsUnderTest,
} from './support/start-notifications';

/** Notifications past NOTIFICATION_RETENTION_DAYS are deleted; the resident's numbering goes on after them. */
let service: NotificationsUnderTest;

beforeAll(async () => {
  service = await startNotificationsForTests();
});
afterAll(() => service?.stop());

test('deletes notifications older than the retention period, keeps the rest, and numbering continues', async () => {
  const resident = await service.resident();
  const neighbour = await service.resident();
  const old = orderFor(resident);
  const recent = orderFor(resident);
  for (const order of [old, recent, orderFor(neighbour)]) await service.send(OrderConfirmed, order);
  await waitFor(async () => (await service.list(resident)).length === 2, 'both notifications stored');
  await waitFor(async () => (await service.list(neighbour)).length === 1, 'the neighbour’s notification stored');
  await service.db.query(
    `UPDATE notifications SET created_at = now() - interval '400 days'
      WHERE recipient_id = $1 AND sequence = 1`,
    [resident.id],
  );

  const retention = new NotificationRetention(service.db, 365, createLogger('retention-test', 'silent'));
  expect(await retention.pruneOnce()).toBe(1);
  expect(await retention.pruneOnce()).toBe(0);

  const kept = await service.list(resident, { language: 'zh-CN' });
  expect(kept.map((notification) => [notification.sequence, notification.title])).toEqual([[2, '订单已确认']]);
  expect(await service.list(neighbour)).toHaveLength(1);

  await service.send(OrderConfirmed, orderFor(resident));
  await waitFor(async () => (await service.list(resident)).length === 2, 'the next notification stored');
  expect((await service.list(resident)).map((notification) => notification.sequence)).toEqual([3, 2]);
});
