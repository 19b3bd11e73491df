import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, membershipRole, timestamp } from './fields';

export const OrganizationApproved = defineEvent({
  type: 'organizations.organization.approved',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'The committee approved a community social organization.',
  keyDescription: 'organizationId',
  key: (p) => p.organizationId,
  schema: z.object({
    organizationId: id(),
    communityId: id(),
    name: z.string().describe('the organization’s public name, e.g. 桃源居志愿者服务队'),
    kind: z.string(),
    approvedBy: id(),
    approvedAt: timestamp(),
  }),
});

export const OrganizationStatusChanged = defineEvent({
  type: 'organizations.organization.status-changed',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description:
    'An organization’s status changed (approved, rejected, suspended, reinstated, dissolved). While it is not ACTIVE its backbones and leaders organize nothing.',
  keyDescription: 'organizationId',
  key: (p) => p.organizationId,
  schema: z.object({
    organizationId: id(),
    communityId: id(),
    fromStatus: z.enum(['PENDING_APPROVAL', 'ACTIVE', 'SUSPENDED', 'DISSOLVED', 'REJECTED']),
    toStatus: z.enum(['PENDING_APPROVAL', 'ACTIVE', 'SUSPENDED', 'DISSOLVED', 'REJECTED']),
    changedBy: id(),
    changedAt: timestamp(),
    statusVersion: z
      .number()
      .int()
      .positive()
      .describe(
        'the organization’s status version after this change (1 = PENDING_APPROVAL at registration, 2 = the committee’s decision, +1 per later change): apply only a version newer than the one held, whatever the event’s time says',
      ),
  }),
});

export const MemberJoined = defineEvent({
  type: 'organizations.member.joined',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'A resident became an active member of an organization.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    role: membershipRole,
    joinedAt: timestamp(),
    membershipVersion: z
      .number()
      .int()
      .positive()
      .describe(
        'the membership’s version after this change (1 when created, +1 per change): Kafka orders only within one topic partition, so a projection applies a fact only when its version is newer than the one it holds',
      ),
  }),
});

export const MemberLeft = defineEvent({
  type: 'organizations.member.left',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'A membership ended: the resident left or was removed.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    role: membershipRole.describe('the role the membership had when it ended'),
    reason: z.enum(['LEFT', 'REMOVED']),
    leftAt: timestamp(),
    membershipVersion: z
      .number()
      .int()
      .positive()
      .describe(
        'the membership’s version after this change (1 when created, +1 per change): Kafka orders only within one topic partition, so a projection applies a fact only when its version is newer than the one it holds',
      ),
  }),
});

export const MemberPromoted = defineEvent({
  type: 'organizations.member.promoted',
  version: 1,
  producer: 'organizations',
  visibility: 'public',
  description: 'A member moved up the ladder (MEMBER → ACTIVIST → BACKBONE → LEADER).',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    fromRole: membershipRole,
    toRole: membershipRole,
    decidedBy: id(),
    decidedAt: timestamp(),
    membershipVersion: z
      .number()
      .int()
      .positive()
      .describe(
        'the membership’s version after this change (1 when created, +1 per change): Kafka orders only within one topic partition, so a projection applies a fact only when its version is newer than the one it holds',
      ),
  }),
});

export const PromotionCandidateRaised = defineEvent({
  type: 'organizations.promotion.candidate-raised',
  version: 1,
  producer: 'organizations',
  visibility: 'internal',
  description:
    'A member’s points earned them the next step in an organization; its leader (or, for LEADER, a committee member) decides.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    candidateId: id(),
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    fromRole: membershipRole,
    targetRole: membershipRole,
    raisedAt: timestamp(),
  }),
});

export const PromotionDeclined = defineEvent({
  type: 'organizations.promotion.declined',
  version: 1,
  producer: 'organizations',
  visibility: 'internal',
  description:
    'A promotion candidate was declined; the decline holds for that step until a new tier. The written reason stays in organizations.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    candidateId: id(),
    membershipId: id(),
    organizationId: id(),
    userId: id(),
    communityId: id(),
    targetRole: membershipRole,
    decidedBy: id(),
    decidedAt: timestamp(),
  }),
});

export const ORGANIZATIONS_EVENTS: readonly EventDefinition[] = [
  OrganizationApproved,
  OrganizationStatusChanged,
  MemberJoined,
  MemberLeft,
  MemberPromoted,
  PromotionCandidateRaised,
  PromotionDeclined,
];
