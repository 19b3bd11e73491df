import {
  DEMO_OFFERINGS,
  DEMO_PROVIDERS,
  DEMO_USERS,
  TAOYUANJU,
  type DemoOffering,
  type DemoProvider,
} from '@taoyuan/demo-data';
import { type Role, type AuthContext, type Logger } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { OrderEntity } from '../entities/order.entity';
import { NeedEntity } from '../entities/need.entity';
import { ReviewEntity } from '../entities/review.entity';
import { MarketplaceEvents } from '../events/marketplace-events';
import { OrderStatus, PayWith, ServiceCategory, type TargetGroup } from '../domain/vocabulary';
import { marketplaceServices } from '../app';

const person = (phone: string): AuthContext => {
  const found = DEMO_USERS.find((candidate) => candidate.phone === phone);
  if (!found) throw new Error(`demo user ${phone} is missing from @taoyuan/demo-data`);
  return { caller: { userId: found.id, communityId: TAOYUANJU.id, roles: found.roles as Role[] } };
};
const LI_JIANGUO = person('13800000001');
const WANG_FANG = person('13800000002');
const ZHANG_WEI = person('13800000011');
const LIU_YANG = person('13800000012');
const YANG_XIUYING = person('13800000014');

/**
 * The demo marketplace of 桃源居 (see @taoyuan/demo-data): providers and offerings are inserted with fixed ids, orders
 * go through the order service like any resident's (so the community-run canteen's completed cash order announces
 * its income), needs through the needs service. Orders are paid in cash or free, so nobody's points balance moves:
 * 赵磊 keeps 560 points for the README's 200-point repair, 张伟 his 90. Idempotent.
 */
export async function seedMarketplaceDemo(db: DataSource, logger: Logger): Promise<void> {
  const events = new MarketplaceEvents();
  await db.transaction(async (manager) => {
    for (const provider of Object.values(DEMO_PROVIDERS) as DemoProvider[]) {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO providers (id, community_id, kind, name, description, contact, community_owned, organization_id,
                                owner_id, status, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'VERIFIED', $10, clock_timestamp())
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          provider.id,
          TAOYUANJU.id,
          provider.kind,
          provider.name,
          provider.description,
          provider.contact,
          provider.communityOwned,
          provider.organizationId,
          provider.ownerId,
          provider.verifiedBy,
        ],
      );
      if (inserted.length > 0)
        await events.providerVerified(manager, {
          providerId: provider.id,
          communityId: TAOYUANJU.id,
          kind: provider.kind,
          organizationId: provider.organizationId,
          communityOwned: provider.communityOwned,
          verifiedAt: new Date().toISOString(),
        });
    }
    for (const offering of Object.values(DEMO_OFFERINGS) as DemoOffering[]) {
      const provider = Object.values(DEMO_PROVIDERS).find((candidate) => candidate.id === offering.providerId);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO offerings (id, provider_id, community_id, title, description, category, target_groups, free,
                                price_points, price_fen, status, created_by, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PUBLISHED', $11, clock_timestamp())
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          offering.id,
          offering.providerId,
          TAOYUANJU.id,
          offering.title,
          offering.description,
          offering.category,
          offering.targetGroups,
          offering.free,
          offering.pricePoints,
          offering.priceFen,
          provider?.ownerId,
        ],
      );
      if (offering.slot)
        await manager.query(
          `INSERT INTO slots (id, offering_id, starts_at, ends_at, capacity)
           VALUES ($1, $2,
                   (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') + make_interval(days => $3, hours => $4))
                     AT TIME ZONE 'Asia/Shanghai',
                   (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') + make_interval(days => $3, hours => $4 + $5))
                     AT TIME ZONE 'Asia/Shanghai',
                   $6)
           ON CONFLICT (id) DO NOTHING`,
          [
            offering.slot.id,
            offering.id,
            offering.slot.day,
            offering.slot.hour,
            offering.slot.hours,
            offering.slot.capacity,
          ],
        );
      if (inserted.length > 0)
        await events.offeringPublished(manager, {
          offeringId: offering.id,
          providerId: offering.providerId,
          communityId: TAOYUANJU.id,
          category: offering.category as ServiceCategory,
          targetGroups: offering.targetGroups as TargetGroup[],
          free: offering.free,
          pricePoints: offering.pricePoints,
          priceFen: offering.priceFen,
          publishedAt: new Date().toISOString(),
        });
    }
  });

  const services = marketplaceServices(db, { ORDER_PAYMENT_TIMEOUT_SECONDS: 900 });
  const { orders, reviews, needs } = services;
  const place = (buyer: AuthContext, key: string, offering: DemoOffering, payWith: PayWith, quantity = 1) =>
    orders.place(buyer, {
      offeringId: offering.id,
      slotId: offering.slot?.id ?? null,
      payWith,
      quantity,
      note: '',
      clientOrderId: `demo-${key}`,
    });
  const completeCash = async (buyer: AuthContext, provider: AuthContext, order: OrderEntity, receipt: string) => {
    if (order.status === OrderStatus.CONFIRMED) await orders.deliver(provider, order.id);
    const current = await db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    if (!current.paidAt) await orders.markPaid(provider, order.id, receipt);
    if (current.status === OrderStatus.DELIVERED) await orders.confirmDelivery(buyer, order.id);
  };

  // 刘洋 and 张伟 eat at the community-run canteen and pay cash: completed orders are community income.
  const liuMeal = await place(LIU_YANG, 'liu-meal', DEMO_OFFERINGS.elderMeals, PayWith.CASH);
  await completeCash(LIU_YANG, LI_JIANGUO, liuMeal, '食堂收据 0001');
  const zhangMeal = await place(ZHANG_WEI, 'zhang-meal', DEMO_OFFERINGS.elderMeals, PayWith.CASH, 2);
  await completeCash(ZHANG_WEI, LI_JIANGUO, zhangMeal, '食堂收据 0002');
  if (!(await db.getRepository(ReviewEntity).findOneBy({ orderId: liuMeal.id })))
    await reviews.review(LIU_YANG, liuMeal.id, 4, '菜稍微咸了点，但送餐很准时。');
  if (!(await db.getRepository(ReviewEntity).findOneBy({ orderId: zhangMeal.id }))) {
    const review = await reviews.review(ZHANG_WEI, zhangMeal.id, 5, '饭菜软烂，很适合我妈妈，每天都盼着。');
    await reviews.reply(LI_JIANGUO, review.id, '谢谢张先生！阿姨有忌口随时告诉我们。');
  }
  // 张伟 booked a free check-up (CONFIRMED); 杨秀英's washing machine was repaired (DELIVERED, to be confirmed).
  await place(ZHANG_WEI, 'zhang-checkup', DEMO_OFFERINGS.elderCheckUp, PayWith.FREE);
  const repair = await place(YANG_XIUYING, 'yang-repair', DEMO_OFFERINGS.applianceRepair, PayWith.CASH);
  if (repair.status === OrderStatus.CONFIRMED) await orders.deliver(WANG_FANG, repair.id);
  // 刘洋 cancelled an after-school place; the property company declined a repair while its electrician is away.
  const classPlace = await place(LIU_YANG, 'liu-class', DEMO_OFFERINGS.afterSchoolClass, PayWith.FREE);
  if (classPlace.status === OrderStatus.CONFIRMED) await orders.cancel(LIU_YANG, classPlace.id);
  const declined = await place(LIU_YANG, 'liu-repair', DEMO_OFFERINGS.applianceRepair, PayWith.CASH);
  if (declined.status === OrderStatus.CONFIRMED)
    await orders.decline(WANG_FANG, declined.id, '维修师傅本周休假，请下周再约。');

  // Two open needs on the board (no reward, so nobody's points are held).
  const openNeeds = [
    {
      poster: YANG_XIUYING,
      title: '周六帮忙去药房取药',
      description: '腿脚不便，想请邻居周六上午帮忙去社区药房取降压药。',
      category: ServiceCategory.HEALTH,
    },
    {
      poster: LIU_YANG,
      title: '孩子数学作业求辅导',
      description: '五年级分数应用题，周三晚上七点到八点，在2栋楼下活动室。',
      category: ServiceCategory.CHILD_CARE,
    },
  ];
  for (const need of openNeeds) {
    const exists = await db
      .getRepository(NeedEntity)
      .findOneBy({ postedBy: need.poster.caller!.userId, title: need.title });
    if (!exists)
      await needs.post(need.poster, {
        title: need.title,
        description: need.description,
        category: need.category,
        neededBy: new Date(Date.now() + 14 * 86_400_000),
        rewardPoints: 0,
      });
  }
  logger.info('marketplace demo data in place');
}
