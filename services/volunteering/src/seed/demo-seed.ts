import { DEMO_ORGANIZATIONS, DEMO_RESIDENT_TIERS, DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { Role, type Logger } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { AttendanceService } from '../domain/attendance.service';
import { OrganizerPolicy } from '../domain/organizer-policy';
import { PointsLedger } from '../domain/points-ledger';
import { PointsRules } from '../domain/points-rules';
import { OpportunityCategory, PointsEntryKind, SignUpStatus } from '../domain/vocabulary';
import { APPROVAL_STATUS_VERSION } from '../events/handlers';
import { VolunteeringEvents } from '../events/volunteering-events';

const user = (phone: string) => {
  const found = DEMO_USERS.find((candidate) => candidate.phone === phone);
  if (!found) throw new Error(`demo user ${phone} is missing from @taoyuan/demo-data`);
  return found.id;
};
const WORKER = user('13800000002'); // 王芳, community worker: organizes and verifies
const ZHANG_WEI = user('13800000011');
const LIU_YANG = user('13800000012');
const CHEN_JING = user('13800000013');
const YANG_XIUYING = user('13800000014');
const ZHAO_LEI = user('13800000015');
const [VOLUNTEER_TEAM, ELDERLY_ASSOCIATION, YOUTH_CAMP] = DEMO_ORGANIZATIONS.map((organization) => organization.id);

/** Fixed ids, so a second run finds what the first one made. */
const id = (group: number, n: number) => `6f1c2d3e-0000-4000-80${String(40 + group)}-${String(n).padStart(12, '0')}`;

interface DemoShift {
  id: string;
  /** Days from the seed's run: negative = already happened (its volunteers' hours are verified). */
  day: number;
  /** Start hour and length, China Standard Time. */
  hour: number;
  hours: number;
  capacity: number;
  volunteers: { signUpId: string; userId: string }[];
}

interface DemoOpportunity {
  id: string;
  title: string;
  description: string;
  category: OpportunityCategory;
  location: string;
  organizationId: string | null;
  published: boolean;
  shifts: DemoShift[];
}

const OPPORTUNITIES: DemoOpportunity[] = [
  {
    id: id(0, 1),
    title: '周末社区环境整治',
    description: '清理绿化带垃圾、整理楼道杂物、劝导文明养犬。请穿方便活动的衣服，手套和夹子由服务队提供。',
    category: OpportunityCategory.ENVIRONMENT,
    location: '桃源居中心广场集合',
    organizationId: VOLUNTEER_TEAM,
    published: true,
    shifts: [
      {
        id: id(1, 1),
        day: -12,
        hour: 9,
        hours: 3,
        capacity: 10,
        volunteers: [
          { signUpId: id(2, 1), userId: ZHANG_WEI },
          { signUpId: id(2, 2), userId: CHEN_JING },
          { signUpId: id(2, 3), userId: ZHAO_LEI },
        ],
      },
      { id: id(1, 2), day: 2, hour: 9, hours: 3, capacity: 10, volunteers: [{ signUpId: id(2, 4), userId: LIU_YANG }] },
    ],
  },
  {
    id: id(0, 2),
    title: '独居长者探访',
    description: '两人一组上门探访独居长者：聊聊天、检查燃气和电器安全、记录生活需求，反馈给社工跟进。',
    category: OpportunityCategory.ELDERLY_CARE,
    location: '社区党群服务中心',
    organizationId: ELDERLY_ASSOCIATION,
    published: true,
    shifts: [
      {
        id: id(1, 3),
        day: -9,
        hour: 14,
        hours: 2,
        capacity: 6,
        volunteers: [
          { signUpId: id(2, 5), userId: ZHANG_WEI },
          { signUpId: id(2, 6), userId: YANG_XIUYING },
        ],
      },
      { id: id(1, 4), day: 5, hour: 14, hours: 2, capacity: 6, volunteers: [] },
    ],
  },
  {
    id: id(0, 3),
    title: '四点半课堂作业辅导',
    description: '放学后陪伴双职工家庭的孩子完成作业，辅导语文、数学和英语，培养阅读习惯。',
    category: OpportunityCategory.EDUCATION,
    location: '社区图书室',
    organizationId: YOUTH_CAMP,
    published: true,
    shifts: [
      {
        id: id(1, 5),
        day: -6,
        hour: 16,
        hours: 2,
        capacity: 4,
        volunteers: [{ signUpId: id(2, 7), userId: LIU_YANG }],
      },
      {
        id: id(1, 6),
        day: 3,
        hour: 16,
        hours: 2,
        capacity: 4,
        volunteers: [{ signUpId: id(2, 8), userId: CHEN_JING }],
      },
    ],
  },
  {
    id: id(0, 4),
    title: '夜间治安巡逻',
    description: '沿小区主干道和地下车库巡查，留意消防通道占用和陌生人员，发现问题及时报告物业和网格员。',
    category: OpportunityCategory.SAFETY_PATROL,
    location: '1栋东门岗亭',
    organizationId: VOLUNTEER_TEAM,
    published: true,
    shifts: [
      {
        id: id(1, 7),
        day: -4,
        hour: 19,
        hours: 3,
        capacity: 5,
        volunteers: [
          { signUpId: id(2, 9), userId: CHEN_JING },
          { signUpId: id(2, 10), userId: ZHAO_LEI },
        ],
      },
      {
        id: id(1, 8),
        day: 1,
        hour: 19,
        hours: 3,
        capacity: 5,
        volunteers: [{ signUpId: id(2, 11), userId: ZHAO_LEI }],
      },
    ],
  },
  {
    id: id(0, 5),
    title: '重阳节敬老活动',
    description: '为社区八十岁以上长者包饺子、表演节目、义剪理发。需要会包饺子或有才艺的志愿者。',
    category: OpportunityCategory.ELDERLY_CARE,
    location: '社区活动中心多功能厅',
    organizationId: null,
    published: false,
    shifts: [{ id: id(1, 9), day: 20, hour: 9, hours: 4, capacity: 20, volunteers: [] }],
  },
];

/**
 * Points earned outside verified shifts (mutual aid, recognitions), credited through the ledger with fixed source
 * ids. With the verified shifts above, 张伟 ends at 90 points (just below ACTIVIST); 陈静 and 赵磊 are then topped up to
 * their DEMO_RESIDENT_TIERS totals.
 */
const HISTORY: { sourceId: string; userId: string; points: number; kind: PointsEntryKind; memo: string }[] = [
  { sourceId: 'demo-1', userId: ZHANG_WEI, points: 40, kind: PointsEntryKind.EARNED_SERVICE, memo: '帮邻居搬运家具' },
  { sourceId: 'demo-2', userId: CHEN_JING, points: 200, kind: PointsEntryKind.BONUS, memo: '年度优秀志愿者' },
  { sourceId: 'demo-3', userId: CHEN_JING, points: 60, kind: PointsEntryKind.EARNED_SERVICE, memo: '疫苗接种点引导' },
  { sourceId: 'demo-4', userId: YANG_XIUYING, points: 30, kind: PointsEntryKind.EARNED_SERVICE, memo: '陪同长者就医' },
];

/** Midnight of today in China Standard Time, plus `days` and `hour` hours. */
function shanghaiTime(days: number, hour: number): Date {
  const shanghaiOffsetMs = 8 * 3600_000;
  const midnight = Math.floor((Date.now() + shanghaiOffsetMs) / 86_400_000) * 86_400_000 - shanghaiOffsetMs;
  return new Date(midnight + days * 86_400_000 + hour * 3600_000);
}

/**
 * Demo opportunities of 桃源居 (organized by 王芳) and a points history for its residents. Past shifts are verified
 * through the same AttendanceService and PointsLedger the API uses, so points, tiers and their events (in the
 * outbox) are what real use would produce. Idempotent: fixed ids, and verified sign-ups are not verified again.
 */
export async function seedVolunteeringDemo(db: DataSource, logger: Logger): Promise<void> {
  const events = new VolunteeringEvents();
  const rules = new PointsRules(db);
  const ledger = new PointsLedger(rules, events);
  const attendance = new AttendanceService(db, new OrganizerPolicy(), rules, ledger, events);
  const worker = {
    caller: { userId: WORKER, communityId: TAOYUANJU.id, roles: [Role.RESIDENT, Role.COMMUNITY_WORKER] },
  };
  const toVerify: { signUpId: string; hours: number }[] = [];

  await db.transaction(async (manager) => {
    for (const demoUser of DEMO_USERS) await ledger.openAccount(manager, demoUser.id, TAOYUANJU.id);
    // The demo residents' households are confirmed (identity's seed announces it; version 0 here lets that event,
    // or any later change, take over), so their points count toward tiers even before the events arrive.
    for (const demoUser of DEMO_USERS)
      await manager.query(
        `INSERT INTO residences (user_id, community_id, household_id, status, residence_version, changed_by, changed_at)
         VALUES ($1, $2, NULL, 'CONFIRMED', 0, NULL, clock_timestamp()) ON CONFLICT (user_id) DO NOTHING`,
        [demoUser.id, TAOYUANJU.id],
      );
    // The demo organizations are approved and active (organizations' seed announces it), so opportunities may name
    // them as hosts right away.
    for (const organization of DEMO_ORGANIZATIONS)
      await manager.query(
        `INSERT INTO organizer_organizations (organization_id, community_id, status, status_version)
         VALUES ($1, $2, 'ACTIVE', $3) ON CONFLICT (organization_id) DO NOTHING`,
        [organization.id, TAOYUANJU.id, APPROVAL_STATUS_VERSION],
      );
    for (const opportunity of OPPORTUNITIES) {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO opportunities (id, community_id, organization_id, title, description, category, location, status,
                                    created_by, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $8 = 'PUBLISHED' THEN clock_timestamp() END)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          opportunity.id,
          TAOYUANJU.id,
          opportunity.organizationId,
          opportunity.title,
          opportunity.description,
          opportunity.category,
          opportunity.location,
          opportunity.published ? 'PUBLISHED' : 'DRAFT',
          WORKER,
        ],
      );
      if (inserted.length > 0 && opportunity.published) {
        await events.opportunityPublished(manager, {
          opportunityId: opportunity.id,
          communityId: TAOYUANJU.id,
          organizationId: opportunity.organizationId,
          category: opportunity.category,
          publishedAt: new Date().toISOString(),
        });
      }
      for (const [index, shift] of opportunity.shifts.entries()) {
        const startsAt = shanghaiTime(shift.day, shift.hour);
        await manager.query(
          `INSERT INTO shifts (id, opportunity_id, community_id, starts_at, ends_at, capacity, check_in_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [
            shift.id,
            opportunity.id,
            TAOYUANJU.id,
            startsAt,
            new Date(startsAt.getTime() + shift.hours * 3600_000),
            shift.capacity,
            String(246800 + index * 1111 + shift.capacity).padStart(6, '0'),
          ],
        );
        for (const volunteer of shift.volunteers) {
          // Past shifts were attended: their volunteers checked in and out with the code, as verification needs.
          const attended = shift.day < 0;
          await manager.query(
            `INSERT INTO sign_ups (id, shift_id, opportunity_id, community_id, user_id, status, checked_in_at,
                                   checked_out_at)
             VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN $8::timestamptz END,
                     CASE WHEN $7 THEN $9::timestamptz END)
             ON CONFLICT DO NOTHING`,
            [
              volunteer.signUpId,
              shift.id,
              opportunity.id,
              TAOYUANJU.id,
              volunteer.userId,
              attended ? SignUpStatus.CHECKED_OUT : SignUpStatus.SIGNED_UP,
              attended,
              startsAt,
              new Date(startsAt.getTime() + shift.hours * 3600_000),
            ],
          );
          if (shift.day < 0) toVerify.push({ signUpId: volunteer.signUpId, hours: shift.hours });
        }
      }
    }
  });

  let verified = 0;
  for (const { signUpId, hours } of toVerify) {
    const [row] = await db.query<{ status: SignUpStatus }[]>(`SELECT status FROM sign_ups WHERE id = $1`, [signUpId]);
    if (row?.status !== SignUpStatus.CHECKED_OUT) continue;
    await attendance.verify(worker, signUpId, hours);
    verified += 1;
  }
  let credited = 0;
  for (const entry of HISTORY) {
    const credit = await db.transaction((manager) =>
      ledger.credit(manager, {
        userId: entry.userId,
        communityId: TAOYUANJU.id,
        points: entry.points,
        kind: entry.kind as PointsEntryKind.EARNED_SERVICE | PointsEntryKind.BONUS,
        sourceType: 'DEMO_HISTORY',
        sourceId: entry.sourceId,
        memo: entry.memo,
        causedBy: WORKER,
      }),
    );
    if (credit) credited += 1;
  }
  // Prior years' points carried over, so each resident's lifetime matches the tier the demo community knows them at
  // (DEMO_RESIDENT_TIERS): tiers and their events then come from the ledger like any other award.
  for (const resident of DEMO_RESIDENT_TIERS) {
    const [account] = await db.query<{ lifetime_earned: number }[]>(
      `SELECT lifetime_earned FROM points_accounts WHERE user_id = $1`,
      [resident.userId],
    );
    const missing = resident.lifetimeEarned - (account?.lifetime_earned ?? 0);
    if (missing <= 0) continue;
    const credit = await db.transaction((manager) =>
      ledger.credit(manager, {
        userId: resident.userId,
        communityId: TAOYUANJU.id,
        points: missing,
        kind: PointsEntryKind.BONUS,
        sourceType: 'DEMO_HISTORY',
        sourceId: `demo-carry-over:${resident.userId}`,
        memo: '往年志愿服务积分结转',
        causedBy: WORKER,
      }),
    );
    if (credit) credited += 1;
  }
  logger.info({ verified, credited }, 'volunteering demo data seeded');
}
