import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, timestamp, role } from './fields';

export const UserRegistered = defineEvent({
  type: 'identity.user.registered',
  version: 1,
  producer: 'identity',
  visibility: 'public',
  description: 'A resident registered in a community.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({ userId: id(), communityId: id(), registeredAt: timestamp() }),
});

export const UserRolesChanged = defineEvent({
  type: 'identity.user.roles-changed',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description: 'A committee member or admin granted or revoked a role.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    userId: id(),
    communityId: id(),
    roles: z.array(role).describe('roles after the change'),
    role,
    action: z.enum(['GRANTED', 'REVOKED']),
    changedBy: id(),
    changedAt: timestamp(),
  }),
});

export const ResidenceChanged = defineEvent({
  type: 'identity.residence.changed',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description:
    'A grid worker or committee member confirmed or rejected a resident’s claim to live in a household (or revoked a confirmation). Only confirmed residents’ points count toward tiers, and a household votes once.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    userId: id(),
    communityId: id(),
    householdId: id().nullable().describe('the household claimed; null once a confirmation is revoked'),
    status: z.enum(['CONFIRMED', 'REJECTED', 'REVOKED']),
    residenceVersion: z
      .number()
      .int()
      .positive()
      .describe(
        'increases with every change of this resident’s residence: apply only a version newer than the one held',
      ),
    changedBy: id(),
    changedAt: timestamp(),
  }),
});

export const IDENTITY_EVENTS: readonly EventDefinition[] = [UserRegistered, UserRolesChanged, ResidenceChanged];
