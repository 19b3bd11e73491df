import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  hasAnyRole,
  NotFoundError,
  normalizeName,
  type PartnerScope,
  Role,
  STAFF_ROLES,
  type Caller,
} from '@taoyuan/service-kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { CommunityEntity } from '../entities/community.entity';
import {
  PartnerClientApprovalEntity,
  PartnerClientEntity,
  PartnerClientStatus,
  type PartnerKind,
} from '../entities/partner-client.entity';
import { newPartnerSecret } from './partner-secret';

export interface PartnerClientEvents {
  partnerClientActivated(manager: EntityManager, client: PartnerClientEntity): Promise<void>;
  partnerClientRevoked(manager: EntityManager, client: PartnerClientEntity): Promise<void>;
}

export interface PartnerClientInput {
  name: string;
  kind: PartnerKind;
  communityIds: string[];
  scopes: PartnerScope[];
}

/** A client and its secret in the clear: the only moment the secret exists outside the caller's hands. */
export interface IssuedPartnerSecret {
  client: PartnerClientEntity;
  clientSecret: string;
}

const MAX_COMMUNITIES = 20;

/**
 * Partner clients' lifecycle. Staff of a community register a partner that serves it; a COMMITTEE member of each
 * community served approves it (never the person who registered it: two-person rule); a committee member of a served
 * community rotates the secret or revokes the client.
 */
export class PartnerClientService {
  constructor(
    private readonly db: DataSource,
    private readonly events: PartnerClientEvents,
  ) {}

  async register(caller: Caller, input: PartnerClientInput): Promise<IssuedPartnerSecret> {
    if (!hasAnyRole(caller, STAFF_ROLES))
      throw new ForbiddenError('ROLE_REQUIRED', 'Only community staff register partner clients');
    const name = normalizeName(input.name, { field: 'name', max: 100 });
    const communityIds = [...new Set(input.communityIds.map((id) => id.toLowerCase()))];
    if (communityIds.length === 0 || communityIds.length > MAX_COMMUNITIES)
      throw new BadUserInputError(`A partner serves 1–${MAX_COMMUNITIES} communities`, 'communityIds');
    if (!communityIds.includes(caller.communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'Register only partners that serve your own community');
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw new BadUserInputError('Give the partner at least one scope', 'scopes');
    return this.db.transaction(async (manager) => {
      const known = await manager.countBy(CommunityEntity, { id: In(communityIds) });
      if (known !== communityIds.length) throw new BadUserInputError('Unknown community', 'communityIds');
      const { secret, hash } = newPartnerSecret();
      const client = manager.create(PartnerClientEntity, {
        id: randomUUID(),
        name,
        kind: input.kind,
        communityIds,
        scopes,
        status: PartnerClientStatus.PENDING,
        secretHash: hash,
        secretRotatedAt: new Date(),
        registeredBy: caller.userId,
        revokedAt: null,
        revokedBy: null,
      });
      await manager.insert(PartnerClientEntity, client);
      return { client, clientSecret: secret };
    });
  }

  /** The caller's community approves; the client turns ACTIVE once every community it serves has. */
  async approve(caller: Caller, clientId: string): Promise<PartnerClientEntity> {
    if (!caller.roles.includes(Role.COMMITTEE))
      throw new ForbiddenError('ROLE_REQUIRED', 'Only a committee member approves a partner client');
    return this.db.transaction(async (manager) => {
      const client = await this.lockServedBy(manager, caller, clientId);
      if (client.registeredBy === caller.userId)
        throw new ForbiddenError('SELF_APPROVAL', 'Someone other than the person who registered it must approve');
      if (client.status === PartnerClientStatus.REVOKED)
        throw new ConflictError('PARTNER_CLIENT_REVOKED', 'This partner client was revoked');
      await manager
        .createQueryBuilder()
        .insert()
        .into(PartnerClientApprovalEntity)
        .values({ clientId: client.id, communityId: caller.communityId, approvedBy: caller.userId })
        .orIgnore()
        .execute();
      if (client.status === PartnerClientStatus.PENDING) {
        const approved = await manager.countBy(PartnerClientApprovalEntity, { clientId: client.id });
        if (approved === client.communityIds.length) {
          client.status = PartnerClientStatus.ACTIVE;
          await manager.update(PartnerClientEntity, { id: client.id }, { status: client.status });
          await this.events.partnerClientActivated(manager, client);
        }
      }
      return client;
    });
  }

  /** A new secret, shown once; the old one stops working at once (tokens already issued live out their minutes). */
  async rotateSecret(caller: Caller, clientId: string): Promise<IssuedPartnerSecret> {
    this.requireCommittee(caller);
    return this.db.transaction(async (manager) => {
      const client = await this.lockServedBy(manager, caller, clientId);
      if (client.status === PartnerClientStatus.REVOKED)
        throw new ConflictError('PARTNER_CLIENT_REVOKED', 'This partner client was revoked');
      const { secret, hash } = newPartnerSecret();
      client.secretHash = hash;
      client.secretRotatedAt = new Date();
      await manager.update(
        PartnerClientEntity,
        { id: client.id },
        { secretHash: hash, secretRotatedAt: client.secretRotatedAt },
      );
      return { client, clientSecret: secret };
    });
  }

  async revoke(caller: Caller, clientId: string): Promise<PartnerClientEntity> {
    this.requireCommittee(caller);
    return this.db.transaction(async (manager) => {
      const client = await this.lockServedBy(manager, caller, clientId);
      if (client.status === PartnerClientStatus.REVOKED) return client;
      client.status = PartnerClientStatus.REVOKED;
      client.revokedAt = new Date();
      client.revokedBy = caller.userId;
      await manager.update(
        PartnerClientEntity,
        { id: client.id },
        { status: client.status, revokedAt: client.revokedAt, revokedBy: client.revokedBy },
      );
      await this.events.partnerClientRevoked(manager, client);
      return client;
    });
  }

  private requireCommittee(caller: Caller): void {
    if (!hasAnyRole(caller, [Role.COMMITTEE, Role.ADMIN]))
      throw new ForbiddenError('ROLE_REQUIRED', 'Only a committee member or admin manages partner clients');
  }

  private async lockServedBy(manager: EntityManager, caller: Caller, clientId: string): Promise<PartnerClientEntity> {
    const client = await manager.findOne(PartnerClientEntity, {
      where: { id: clientId },
      lock: { mode: 'pessimistic_write' },
    });
    // Another community's client is as invisible as a missing one.
    if (!client || !client.communityIds.includes(caller.communityId))
      throw new NotFoundError('PartnerClient', clientId);
    return client;
  }
}
