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

const partnerScope = z.enum(['events:read', 'reports:read', 'volunteer-records:read', 'webhooks:manage']);
const consentScope = z.enum(['volunteer-records:read']);

export const PartnerClientActivated = defineEvent({
  type: 'identity.partner-client.activated',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description: 'A committee member of every community a partner client serves approved it: it may obtain tokens.',
  keyDescription: 'clientId',
  key: (p) => p.clientId,
  schema: z.object({
    clientId: id(),
    name: z.string().min(1).max(100),
    communityIds: z.array(id()).min(1),
    scopes: z.array(partnerScope),
    activatedAt: timestamp(),
  }),
});

export const PartnerClientRevoked = defineEvent({
  type: 'identity.partner-client.revoked',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description: 'A partner client was revoked: no new tokens, and nothing more is delivered to it.',
  keyDescription: 'clientId',
  key: (p) => p.clientId,
  schema: z.object({ clientId: id(), revokedBy: id(), revokedAt: timestamp() }),
});

export const ConsentGranted = defineEvent({
  type: 'identity.consent.granted',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description:
    'A resident let a partner client receive their personal records in a scope. Carries the display name the partner may see (see decision 0008); services other than partners ignore it.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    consentId: id(),
    userId: id(),
    communityId: id(),
    partnerClientId: id(),
    scope: consentScope,
    displayName: z.string().min(1).max(40),
    consentVersion: z
      .number()
      .int()
      .positive()
      .describe('increases with every grant or revocation of this resident’s consents: apply only a newer one'),
    grantedAt: timestamp(),
  }),
});

export const ConsentRevoked = defineEvent({
  type: 'identity.consent.revoked',
  version: 1,
  producer: 'identity',
  visibility: 'internal',
  description: 'A resident withdrew a consent: the partner receives nothing more, and copies of their name are erased.',
  keyDescription: 'userId',
  key: (p) => p.userId,
  schema: z.object({
    consentId: id(),
    userId: id(),
    communityId: id(),
    partnerClientId: id(),
    scope: consentScope,
    consentVersion: z.number().int().positive(),
    revokedAt: timestamp(),
  }),
});

export const IDENTITY_EVENTS: readonly EventDefinition[] = [
  UserRegistered,
  UserRolesChanged,
  ResidenceChanged,
  PartnerClientActivated,
  PartnerClientRevoked,
  ConsentGranted,
  ConsentRevoked,
];
