import {
  DEMO_CAMPAIGN,
  DEMO_FACILITIES,
  DEMO_FUNDS,
  DEMO_ORGANIZATIONS,
  DEMO_USERS,
  TAOYUANJU,
} from '@taoyuan/demo-data';
import type { Logger } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Ledger } from '../domain/ledger';
import { zonedInstant } from '../domain/opening-hours';
import { Direction, IncomeCategory, REPORT_TIME_ZONE, SpendingCategory } from '../domain/vocabulary';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const hours = (opens: string, closes: string, days = EVERY_DAY) => days.map((weekday) => ({ weekday, opens, closes }));
const byName = (name: string) => DEMO_USERS.find((user) => user.displayName === name)!.id;

const COMMITTEE = byName('李建国');
const WORKER = byName('王芳');

/** Rules of 桃源居's five facilities: who books them, how long, and what they cost. */
const FACILITY_RULES: Record<
  string,
  {
    opening: ReturnType<typeof hours>;
    bookableBy: string[];
    maxMinutes: number;
    approvalAbove: number | null;
    valueFen: number;
  }
> = {
  会所多功能厅: {
    opening: hours('08:00', '22:00'),
    bookableBy: ['RESIDENT', 'ORGANIZATION', 'STAFF'],
    maxMinutes: 240,
    approvalAbove: 50,
    valueFen: 120_000_000,
  },
  图书馆阅览室: {
    opening: hours('09:00', '21:00'),
    bookableBy: ['RESIDENT', 'ORGANIZATION', 'STAFF'],
    maxMinutes: 180,
    approvalAbove: null,
    valueFen: 35_000_000,
  },
  长者食堂: {
    opening: hours('14:00', '16:30'),
    bookableBy: ['ORGANIZATION', 'STAFF'],
    maxMinutes: 150,
    approvalAbove: null,
    valueFen: 80_000_000,
  },
  篮球场: {
    opening: hours('06:00', '22:00'),
    bookableBy: ['RESIDENT', 'ORGANIZATION', 'STAFF'],
    maxMinutes: 120,
    approvalAbove: null,
    valueFen: 20_000_000,
  },
  市民广场: {
    opening: hours('06:00', '22:00'),
    bookableBy: ['ORGANIZATION', 'STAFF'],
    maxMinutes: 480,
    approvalAbove: 100,
    valueFen: 300_000_000,
  },
};

/** The 15th of each of the last twelve months at `hour` local time, oldest first. */
function monthsBack(hour: number): Date[] {
  const now = new Date(Date.now() + 8 * 3600_000);
  return Array.from({ length: 12 }, (_, index) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11 + index, 15));
    return zonedInstant(month.toISOString().slice(0, 10), hour * 60, REPORT_TIME_ZONE);
  }).filter((instant) => instant.getTime() < Date.now());
}

/**
 * The demo community's assets and money, idempotent: 桃源居's facilities, a PUBLIC_WELFARE fund with a year of
 * entries (facility fees, 长者食堂 income, 社工 pay, 助餐 subsidies), a grant in the general fund, and the campaign
 * 为独居老人安装紧急呼叫器, passed by household vote, with donations and its first purchase. Every amount goes through the
 * ledger, so the database checks the seed as it checks everything else.
 */
export async function seedAssetsDemo(db: DataSource, ledger: Ledger, logger: Logger): Promise<void> {
  const [seeded] = await db.query<unknown[]>(`SELECT 1 FROM funds WHERE id = $1`, [DEMO_FUNDS.publicWelfare]);
  if (seeded) return;
  await db.transaction(async (manager) => {
    await seedFacilities(manager);
    await seedFunds(manager, ledger);
    await seedCampaign(manager, ledger);
    await seedBookings(manager);
  });
  logger.info('assets demo data seeded');
}

async function seedFacilities(manager: EntityManager): Promise<void> {
  for (const facility of DEMO_FACILITIES) {
    const rules = FACILITY_RULES[facility.name];
    await manager.query(
      `INSERT INTO assets (id, community_id, kind, name, owner, value_fen, status, created_by) VALUES ($1, $2, 'FACILITY', $3, 'COMMUNITY', $4, 'IN_USE', $5)`,
      [facility.id, TAOYUANJU.id, facility.name, rules.valueFen, WORKER],
    );
    await manager.query(
      `INSERT INTO facilities (id, community_id, capacity, opening_hours, bookable_by, max_booking_minutes, max_days_ahead, fee_per_hour_fen, free_for_organizations, approval_above_attendees)
       VALUES ($1, $2, $3, $4, $5, $6, 30, $7, true, $8)`,
      [
        facility.id,
        TAOYUANJU.id,
        facility.capacity,
        JSON.stringify(rules.opening),
        rules.bookableBy,
        rules.maxMinutes,
        facility.feePerHourFen,
        rules.approvalAbove,
      ],
    );
  }
  await manager.query(
    `INSERT INTO assets (id, community_id, kind, name, owner, value_fen, status, note, created_by) VALUES
       (gen_random_uuid(), $1, 'EQUIPMENT', '多功能厅投影音响设备', 'COMMUNITY', 4800000, 'IN_USE', '2024 年购置', $2),
       (gen_random_uuid(), $1, 'PROPERTY', '桃源路 12 号临街商铺', 'COMMUNITY', 260000000, 'LET', '出租给社区便民超市，租金计入公益金', $2)`,
    [TAOYUANJU.id, WORKER],
  );
}

async function seedFunds(manager: EntityManager, ledger: Ledger): Promise<void> {
  await manager.query(
    `INSERT INTO funds (id, community_id, kind, name) VALUES ($1, $3, 'PUBLIC_WELFARE', '社区公益金'), ($2, $3, 'UNRESTRICTED', '社区一般资金')`,
    [DEMO_FUNDS.publicWelfare, DEMO_FUNDS.unrestricted, TAOYUANJU.id],
  );
  const welfare = { fundId: DEMO_FUNDS.publicWelfare, communityId: TAOYUANJU.id };
  for (const [index, day] of monthsBack(10).entries()) {
    const month = day.toISOString().slice(0, 7);
    const entries: [Direction, IncomeCategory | SpendingCategory, number, string][] = [
      [Direction.IN, IncomeCategory.SERVICE_BUSINESS_INCOME, 1_650_000 + (index % 4) * 85_000, '长者食堂经营收入'],
      [Direction.IN, IncomeCategory.FACILITY_FEE, 280_000 + (index % 3) * 42_000, '会所、篮球场场地使用费'],
      [Direction.IN, IncomeCategory.SERVICE_BUSINESS_INCOME, 350_000, '临街商铺租金'],
      [Direction.OUT, SpendingCategory.WORKER_PAY, 820_000, '社工薪酬（王芳等两名社工）'],
      [Direction.OUT, SpendingCategory.PUBLIC_WELFARE_EXPENSE, 560_000 + (index % 5) * 30_000, '长者助餐补贴'],
      [
        Direction.OUT,
        SpendingCategory.PUBLIC_WELFARE_EXPENSE,
        index % 3 === 0 ? 240_000 : 90_000,
        '四点半课堂及社区活动物料',
      ],
    ];
    for (const [position, [direction, category, amountFen, memo]] of entries.entries())
      await ledger.append(manager, {
        ...welfare,
        direction,
        category,
        amountFen,
        source: { type: 'SEED', id: `demo:welfare:${month}:${position}` },
        memo: `${month} ${memo}`,
        recordedBy: WORKER,
        approvedBy: COMMITTEE,
        occurredAt: new Date(day.getTime() + position * 3600_000),
      });
  }
  const [firstMonth] = monthsBack(9);
  await ledger.append(manager, {
    fundId: DEMO_FUNDS.unrestricted,
    communityId: TAOYUANJU.id,
    direction: Direction.IN,
    category: IncomeCategory.GRANT,
    amountFen: 5_000_000,
    source: { type: 'SEED', id: 'demo:grant:street-office' },
    memo: '街道办社区治理专项资助',
    recordedBy: WORKER,
    approvedBy: COMMITTEE,
    occurredAt: firstMonth ?? new Date(),
  });
}

async function seedCampaign(manager: EntityManager, ledger: Ledger): Promise<void> {
  const elders = DEMO_ORGANIZATIONS[1];
  await manager.query(
    `INSERT INTO campaigns (id, community_id, title, purpose, goal_fen, opens_at, closes_at, requires_vote, quorum_percent, status,
                            proposed_by, organization_id, decided_by, decided_at, yes_votes, no_votes, abstain_votes, households_eligible, created_at)
     VALUES ($1, $2, $3, $4, $5, now() - interval '20 days', now() + interval '40 days', true, 30, 'OPEN', $6, $7, $8,
             now() - interval '20 days', 5, 1, 0, 7, now() - interval '34 days')`,
    [
      DEMO_CAMPAIGN.id,
      TAOYUANJU.id,
      DEMO_CAMPAIGN.title,
      '为社区内 60 户独居老人安装一键紧急呼叫器，呼叫直通社区值班室和长者关爱协会志愿者。每台含安装约 500 元。',
      DEMO_CAMPAIGN.goalFen,
      elders.leaderUserId,
      elders.id,
      WORKER,
    ],
  );
  await manager.query(
    `INSERT INTO funds (id, community_id, kind, name, campaign_id) VALUES ($1, $2, 'DESIGNATED', $3, $4)`,
    [DEMO_FUNDS.alarmCampaign, TAOYUANJU.id, `专项：${DEMO_CAMPAIGN.title}`, DEMO_CAMPAIGN.id],
  );
  const donations: [string, number, boolean, string, boolean][] = [
    ['李建国', 200_000, false, '带个头', true],
    ['王芳', 100_000, false, '', true],
    ['张伟', 50_000, false, '一点心意', true],
    ['刘洋', 30_000, true, '', true],
    ['陈静', 80_000, false, '愿老人平安', true],
    ['杨秀英', 500_000, true, '', true],
    ['赵磊', 20_000, false, '', false],
  ];
  for (const [index, [name, amountFen, anonymous, message, confirmed]] of donations.entries()) {
    const [donation] = await manager.query<{ id: string }[]>(
      `INSERT INTO donations (id, campaign_id, community_id, donor_id, amount_fen, anonymous, message, status, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'PLEDGED', now() - make_interval(days => $7)) RETURNING id`,
      [DEMO_CAMPAIGN.id, TAOYUANJU.id, byName(name), amountFen, anonymous, message, 18 - index * 2],
    );
    if (!confirmed || !donation) continue;
    const entry = await ledger.append(manager, {
      fundId: DEMO_FUNDS.alarmCampaign,
      communityId: TAOYUANJU.id,
      direction: Direction.IN,
      category: IncomeCategory.DONATION,
      amountFen,
      source: { type: 'DONATION', id: donation.id },
      campaignId: DEMO_CAMPAIGN.id,
      memo: anonymous ? '匿名捐款' : '居民捐款',
      recordedBy: WORKER,
      approvedBy: WORKER,
      occurredAt: new Date(Date.now() - (17 - index * 2) * 86_400_000),
    });
    await manager.query(
      `UPDATE donations SET status = 'CONFIRMED', payment_reference = $2, entry_id = $3, confirmed_by = $4, confirmed_at = $5,
              receipt_number = 'TY' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('donation_receipt_numbers')::text, 6, '0')
        WHERE id = $1`,
      [donation.id, `银行转账-${index + 1}`, entry.id, WORKER, entry.occurredAt],
    );
  }
  const [expense] = await manager.query<{ id: string }[]>(
    `INSERT INTO expenses (id, community_id, fund_id, category, amount_fen, payee, purpose, receipt_reference, status, approvals_required, proposed_by, created_at)
     VALUES (gen_random_uuid(), $1, $2, 'CAMPAIGN_EXPENSE', 600000, '深圳市安康电子有限公司', '首批 12 台紧急呼叫器采购及安装', 'FP-44030012', 'PROPOSED', 2, $3,
             now() - interval '5 days') RETURNING id`,
    [TAOYUANJU.id, DEMO_FUNDS.alarmCampaign, WORKER],
  );
  await manager.query(`INSERT INTO expense_approvals (expense_id, approver_id, proposed_by) VALUES ($1, $2, $3)`, [
    expense.id,
    COMMITTEE,
    WORKER,
  ]);
  const payment = await ledger.append(manager, {
    fundId: DEMO_FUNDS.alarmCampaign,
    communityId: TAOYUANJU.id,
    direction: Direction.OUT,
    category: SpendingCategory.CAMPAIGN_EXPENSE,
    amountFen: 600_000,
    source: { type: 'EXPENSE', id: expense.id },
    campaignId: DEMO_CAMPAIGN.id,
    memo: '深圳市安康电子有限公司：首批 12 台紧急呼叫器采购及安装',
    recordedBy: WORKER,
    approvedBy: COMMITTEE,
    occurredAt: new Date(Date.now() - 4 * 86_400_000),
  });
  await manager.query(`UPDATE expenses SET status = 'APPROVED', entry_id = $2, decided_at = $3 WHERE id = $1`, [
    expense.id,
    payment.id,
    payment.occurredAt,
  ]);
}

async function seedBookings(manager: EntityManager): Promise<void> {
  const day = (offset: number, hour: number) => {
    const date = new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    return zonedInstant(date, hour * 60, REPORT_TIME_ZONE);
  };
  const bookings: [string, string, string | null, string, number, Date, Date, number][] = [
    [
      DEMO_FACILITIES[2].id,
      DEMO_ORGANIZATIONS[1].leaderUserId,
      DEMO_ORGANIZATIONS[1].id,
      '长者生日会',
      40,
      day(3, 14),
      day(3, 16),
      0,
    ],
    [
      DEMO_FACILITIES[1].id,
      DEMO_ORGANIZATIONS[2].leaderUserId,
      DEMO_ORGANIZATIONS[2].id,
      '周末读书会',
      25,
      day(5, 9),
      day(5, 11),
      0,
    ],
    [DEMO_FACILITIES[3].id, byName('张伟'), null, '业余篮球友谊赛', 12, day(2, 19), day(2, 21), 2000],
    [DEMO_FACILITIES[0].id, byName('陈静'), null, '社区合唱团排练', 30, day(-10, 19), day(-10, 21), 10000],
  ];
  for (const [facilityId, bookedBy, organizationId, purpose, attendees, startsAt, endsAt, feeFen] of bookings)
    await manager.query(
      `INSERT INTO bookings (id, facility_id, community_id, booked_by, organization_id, purpose, attendees, starts_at, ends_at, status, fee_fen)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, 'CONFIRMED', $9)`,
      [facilityId, TAOYUANJU.id, bookedBy, organizationId, purpose, attendees, startsAt, endsAt, feeFen],
    );
}
