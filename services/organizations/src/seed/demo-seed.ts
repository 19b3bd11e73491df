import { createHash } from 'node:crypto';
import {
  DEMO_ORGANIZATION_MEMBERS,
  DEMO_ORGANIZATIONS,
  DEMO_RESIDENT_TIERS,
  DEMO_USERS,
  TAOYUANJU,
} from '@taoyuan/demo-data';
import type { Logger } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { MembershipRole, MembershipStatus, nextRole, roleRank } from '../domain/ladder';
import type { PromotionService } from '../domain/promotion.service';
import { lockResident, recordRoleChange, updateMembership } from '../domain/records';
import { JoinPolicy, type OrganizationKind, OrganizationStatus } from '../domain/organization-values';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationStatusChangeEntity } from '../entities/organization-status-change.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { OrganizationsEvents } from '../events/organizations-events';

/** A fixed UUID per demo fact, so a second seed recognises what the first wrote (memberships, events, tiers). */
export function demoId(label: string): string {
  const hex = createHash('sha256').update(`taoyuan-organizations-demo:${label}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const COMMITTEE_MEMBER = DEMO_USERS.find((user) => user.roles.includes('COMMITTEE'));

interface DemoMembership {
  organizationId: string;
  userId: string;
  role: MembershipRole;
}

/**
 * The demo organizations of 桃源居 (approved by the committee member 李建国), their leaders and members, the tiers the
 * demo residents reached and the promotion candidate that follows from them. Every membership is announced through
 * the outbox exactly as a real one would be (joined, then each promotion), because volunteering builds its organizer
 * projection from those events. Idempotent: rows and events have fixed ids and are written only when new.
 */
export async function seedOrganizationsDemo(db: DataSource, promotions: PromotionService, logger: Logger) {
  if (!COMMITTEE_MEMBER) throw new Error('The demo data has no committee member');
  const approver = COMMITTEE_MEMBER.id;
  const events = new OrganizationsEvents();
  let added = 0;
  await db.transaction(async (manager) => {
    const present = new Set<string>();
    for (const demo of DEMO_ORGANIZATIONS) {
      if (await seedOrganization(manager, events, demo, approver)) added += 1;
      if (await manager.existsBy(OrganizationEntity, { id: demo.id })) present.add(demo.id);
    }
    const memberships: DemoMembership[] = [
      ...DEMO_ORGANIZATIONS.map((demo) => ({
        organizationId: demo.id,
        userId: demo.leaderUserId,
        role: MembershipRole.LEADER,
      })),
      ...DEMO_ORGANIZATION_MEMBERS.map((member) => ({ ...member, role: member.role as MembershipRole })),
    ];
    for (const demo of memberships) {
      // An organization that could not be seeded (its name taken by a real registration) gets no demo members.
      if (!present.has(demo.organizationId)) continue;
      if (await seedMembership(manager, events, demo, approver)) added += 1;
    }
    for (const tier of DEMO_RESIDENT_TIERS) {
      await manager.query(
        `INSERT INTO resident_tiers (user_id, community_id, tier, lifetime_earned, reached_at, source_event_id)
         VALUES ($1, $2, $3, $4, now(), $5) ON CONFLICT (user_id) DO NOTHING`,
        [tier.userId, TAOYUANJU.id, tier.tier, tier.lifetimeEarned, demoId(`tier:${tier.userId}:${tier.tier}`)],
      );
      await lockResident(manager, tier.userId);
      const active = await manager.findBy(MembershipEntity, { userId: tier.userId, status: MembershipStatus.ACTIVE });
      for (const membership of active) await promotions.raiseIfEligible(manager, membership);
    }
  });
  logger.info({ added }, 'organizations demo data seeded');
}

async function seedOrganization(
  manager: EntityManager,
  events: OrganizationsEvents,
  demo: (typeof DEMO_ORGANIZATIONS)[number],
  approver: string,
): Promise<boolean> {
  const approvedAt = new Date();
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO organizations
       (id, community_id, name, kind, description, contact, join_policy, status, registered_by, approved_by, approved_at,
        status_version)
     VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, 2) ON CONFLICT DO NOTHING RETURNING id`,
    [
      demo.id,
      TAOYUANJU.id,
      demo.name,
      demo.kind satisfies `${OrganizationKind}`,
      demo.description,
      // The volunteer team takes anyone; the others check who joins (children and elders are involved).
      demo.kind === 'VOLUNTEER_TEAM' ? JoinPolicy.OPEN : JoinPolicy.APPROVAL,
      OrganizationStatus.ACTIVE,
      demo.leaderUserId,
      approver,
      approvedAt,
    ],
  );
  if (inserted.length === 0) return false;
  const organization = await manager.findOneByOrFail(OrganizationEntity, { id: demo.id });
  for (const [from, to] of [
    [null, OrganizationStatus.PENDING_APPROVAL],
    [OrganizationStatus.PENDING_APPROVAL, OrganizationStatus.ACTIVE],
  ] as const) {
    await manager.insert(OrganizationStatusChangeEntity, {
      id: demoId(`status:${demo.id}:${to}`),
      organizationId: demo.id,
      communityId: TAOYUANJU.id,
      fromStatus: from,
      toStatus: to,
      reason: null,
      changedBy: to === OrganizationStatus.ACTIVE ? approver : demo.leaderUserId,
    });
  }
  await events.organizationApproved(manager, organization, { eventId: demoId(`event:approved:${demo.id}`) });
  return true;
}

/** Joined as MEMBER (LEADER for the founding leader), then promoted one step at a time up to the demo role. */
async function seedMembership(
  manager: EntityManager,
  events: OrganizationsEvents,
  demo: DemoMembership,
  approver: string,
): Promise<boolean> {
  const id = demoId(`membership:${demo.organizationId}:${demo.userId}`);
  const founding = demo.role === MembershipRole.LEADER;
  const joinedAt = new Date();
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO memberships (id, community_id, organization_id, user_id, role, status, requested_at, joined_at)
     VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $6) ON CONFLICT DO NOTHING RETURNING id`,
    [
      id,
      TAOYUANJU.id,
      demo.organizationId,
      demo.userId,
      founding ? MembershipRole.LEADER : MembershipRole.MEMBER,
      joinedAt,
    ],
  );
  if (inserted.length === 0) return false;
  const membership = await manager.findOneByOrFail(MembershipEntity, { id });
  await recordRoleChange(manager, membership, {
    fromRole: null,
    toRole: membership.role,
    changedBy: founding ? approver : demo.userId,
    reason: founding ? 'registered the organization' : 'joined',
  });
  await events.memberJoined(manager, membership, { eventId: demoId(`event:joined:${id}`) });
  const leader = DEMO_ORGANIZATIONS.find((organization) => organization.id === demo.organizationId)?.leaderUserId;
  while (roleRank(membership.role) < roleRank(demo.role)) {
    const fromRole = membership.role;
    const toRole = nextRole(fromRole) ?? MembershipRole.LEADER;
    const decidedBy = toRole === MembershipRole.LEADER || !leader ? approver : leader;
    await updateMembership(manager, membership, { role: toRole });
    await recordRoleChange(manager, membership, {
      fromRole,
      toRole,
      changedBy: decidedBy,
      reason: 'promotion approved',
    });
    await events.memberPromoted(
      manager,
      membership,
      { fromRole, toRole, decidedBy, decidedAt: new Date() },
      { eventId: demoId(`event:promoted:${id}:${toRole}`) },
    );
  }
  return true;
}
