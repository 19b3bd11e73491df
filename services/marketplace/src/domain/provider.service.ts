import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  requireCaller,
  type AuthContext,
  type Caller,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { ProviderEntity } from '../entities/provider.entity';
import type { MarketplaceEvents } from '../events/marketplace-events';
import { isStaffOf, type AccessPolicy } from './access-policy';
import { recordAudit } from './audit';
import { requireLine, requireParagraph } from './input';
import { lockRow } from './locked-row';
import { ProviderKind, ProviderStatus } from './vocabulary';

export interface RegisterProviderInput {
  kind: ProviderKind;
  name: string;
  description?: string | null;
  contact: string;
  communityOwned?: boolean | null;
  organizationId?: string | null;
}

export type ProviderDecision = 'VERIFY' | 'REJECT' | 'SUSPEND' | 'REINSTATE';

const DECISIONS: Record<ProviderDecision, { from: ProviderStatus[]; to: ProviderStatus }> = {
  VERIFY: { from: [ProviderStatus.PENDING], to: ProviderStatus.VERIFIED },
  REJECT: { from: [ProviderStatus.PENDING], to: ProviderStatus.REJECTED },
  SUSPEND: { from: [ProviderStatus.VERIFIED], to: ProviderStatus.SUSPENDED },
  REINSTATE: { from: [ProviderStatus.SUSPENDED], to: ProviderStatus.VERIFIED },
};

/**
 * Registering providers and deciding on them. GOVERNMENT and ENTERPRISE providers (and whether any provider is a
 * community-run business) are registered by staff, since a resident cannot speak for a street office or a company;
 * a SOCIAL_ORGANIZATION only by a current LEADER of that organization; a RESIDENT provider by the resident.
 */
export class ProviderService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
    private readonly events: MarketplaceEvents,
  ) {}

  async register(context: AuthContext, input: RegisterProviderInput): Promise<ProviderEntity> {
    const caller = requireCaller(context);
    const values = {
      name: requireLine(input.name, 'name', 1, 60),
      description: requireParagraph(input.description, 'description', 2000),
      contact: requireLine(input.contact, 'contact', 1, 120),
    };
    const communityOwned = input.communityOwned ?? false;
    const staff = isStaffOf(caller, caller.communityId);
    if (communityOwned && !staff)
      throw new ForbiddenError('STAFF_ONLY', 'Only community staff can register a community-run business');
    if ((input.kind === ProviderKind.GOVERNMENT || input.kind === ProviderKind.ENTERPRISE) && !staff)
      throw new ForbiddenError('STAFF_ONLY', 'Government and enterprise providers are registered by community staff');
    if ((input.kind === ProviderKind.SOCIAL_ORGANIZATION) !== Boolean(input.organizationId))
      throw new BadUserInputError(
        'organizationId is required for a SOCIAL_ORGANIZATION provider and only for it',
        'organizationId',
      );
    return this.db.transaction(async (manager) => {
      if (input.organizationId) {
        if (!(await this.policy.isOrganizationLeader(manager, caller, input.organizationId)))
          throw new ForbiddenError('NOT_ORGANIZATION_LEADER', 'Only a leader of the organization can register it');
        const taken: unknown[] = await manager.query(
          `SELECT 1 FROM providers WHERE organization_id = $1 AND status <> 'REJECTED'`,
          [input.organizationId],
        );
        if (taken.length > 0)
          throw new ConflictError('ALREADY_REGISTERED', 'This organization is already registered as a provider');
      }
      const id = randomUUID();
      await manager.insert(ProviderEntity, {
        id,
        communityId: caller.communityId,
        kind: input.kind,
        ...values,
        communityOwned,
        organizationId: input.organizationId ?? null,
        ownerId: caller.userId,
        status: ProviderStatus.PENDING,
      });
      return manager.findOneByOrFail(ProviderEntity, { id });
    });
  }

  /** Verify, reject, suspend or reinstate: community staff, never on a provider they registered (a CHECK too). */
  async decide(
    context: AuthContext,
    id: string,
    decision: ProviderDecision,
    reason: string | null,
  ): Promise<ProviderEntity> {
    const caller = requireCaller(context);
    const why = requireParagraph(reason, 'reason', 500);
    if ((decision === 'REJECT' || decision === 'SUSPEND') && !why)
      throw new BadUserInputError('Say why, so the provider can put it right', 'reason');
    return this.db.transaction(async (manager) => {
      const provider = await this.lock(manager, caller, id);
      if (!isStaffOf(caller, provider.communityId))
        throw new ForbiddenError('STAFF_ONLY', 'Only a community worker or committee member decides on providers');
      if (provider.ownerId === caller.userId)
        throw new ForbiddenError('OWN_PROVIDER', 'Nobody decides on a provider they registered themselves');
      const rule = DECISIONS[decision];
      if (provider.status === rule.to) return provider;
      if (!rule.from.includes(provider.status))
        throw new ConflictError(
          'INVALID_STATE',
          `A ${provider.status.toLowerCase()} provider cannot be changed this way`,
        );
      await manager.update(
        ProviderEntity,
        { id },
        {
          status: rule.to,
          statusReason: why || null,
          decidedBy: caller.userId,
          decidedAt: () => 'clock_timestamp()',
          updatedAt: () => 'clock_timestamp()',
        },
      );
      await recordAudit(manager, caller, `PROVIDER_${decision}`, 'PROVIDER', id, why);
      const updated = await manager.findOneByOrFail(ProviderEntity, { id });
      if (decision === 'VERIFY')
        await this.events.providerVerified(manager, {
          providerId: id,
          communityId: updated.communityId,
          kind: updated.kind,
          organizationId: updated.organizationId,
          communityOwned: updated.communityOwned,
          verifiedAt: (updated.decidedAt ?? new Date()).toISOString(),
        });
      return updated;
    });
  }

  private async lock(manager: EntityManager, caller: Caller, id: string): Promise<ProviderEntity> {
    const provider = await lockRow(manager, ProviderEntity, id);
    if (!provider || provider.communityId !== caller.communityId) throw new NotFoundError('Provider', id);
    return provider;
  }
}
