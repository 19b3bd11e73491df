import { ForbiddenError, Role, type Caller, type ServiceContext } from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { OfferingEntity } from '../entities/offering.entity';
import type { OrderEntity } from '../entities/order.entity';
import type { ProviderEntity } from '../entities/provider.entity';
import { OfferingStatus, ProviderStatus } from './vocabulary';

/** Roles that run a community's marketplace: verify providers, see every order, hide abusive reviews. */
export const MARKETPLACE_STAFF_ROLES: readonly Role[] = [Role.COMMUNITY_WORKER, Role.COMMITTEE];

export function isStaffOf(caller: Caller | null, communityId: string): boolean {
  return (
    caller !== null &&
    caller.communityId === communityId &&
    caller.roles.some((role) => MARKETPLACE_STAFF_ROLES.includes(role))
  );
}

/**
 * Who may see and run what, decided here and nowhere else. Queries and federation reference resolvers both ask
 * these functions, so `_entities` never shows what `provider(id)`, `serviceOffering(id)` or `order(id)` would hide.
 *
 * A provider is managed by whoever registered it and, for a SOCIAL_ORGANIZATION, by the organization's current
 * LEADERs, taken from the projection of organizations' membership events (no call to the organizations service).
 */
export class AccessPolicy {
  constructor(private readonly db: DataSource) {}

  /** Ids of the providers the caller manages, once per request. */
  managedProviderIds(context: ServiceContext): Promise<Set<string>> {
    const caller = context.caller;
    if (!caller) return Promise.resolve(new Set());
    return context.loaders
      .get<string, Set<string>>('managedProviders', (keys) =>
        Promise.all(keys.map(() => this.managedBy(this.db.manager, caller))),
      )
      .load(caller.userId);
  }

  async managedBy(manager: EntityManager, caller: Caller): Promise<Set<string>> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT p.id FROM providers p
        WHERE p.community_id = $1
          AND (p.owner_id = $2
               OR (p.kind = 'SOCIAL_ORGANIZATION' AND EXISTS (
                     SELECT 1 FROM organization_memberships m
                      WHERE m.organization_id = p.organization_id AND m.user_id = $2 AND m.active
                        AND m.role = 'LEADER')))`,
      [caller.communityId, caller.userId],
    );
    return new Set(rows.map((row) => row.id));
  }

  async isOrganizationLeader(manager: EntityManager, caller: Caller, organizationId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM organization_memberships
        WHERE organization_id = $1 AND user_id = $2 AND community_id = $3 AND active AND role = 'LEADER' LIMIT 1`,
      [organizationId, caller.userId, caller.communityId],
    );
    return rows.length > 0;
  }

  /** Managers of the provider; inside a transaction, after the provider row is locked. */
  async requireManager(manager: EntityManager, caller: Caller, provider: ProviderEntity): Promise<void> {
    if (caller.communityId !== provider.communityId)
      throw new ForbiddenError('OTHER_COMMUNITY', 'This belongs to another community');
    if ((await this.managedBy(manager, caller)).has(provider.id)) return;
    throw new ForbiddenError('NOT_PROVIDER_MANAGER', 'Only the provider’s managers can do this');
  }
}

/** Visible providers: verified ones to their community; any status to staff and the provider's managers. */
export function canSeeProvider(caller: Caller | null, provider: ProviderEntity, managed: Set<string>): boolean {
  if (!caller || caller.communityId !== provider.communityId) return false;
  return (
    provider.status === ProviderStatus.VERIFIED || isStaffOf(caller, provider.communityId) || managed.has(provider.id)
  );
}

/**
 * Visible offerings: a published offering of a verified provider to its community (a suspended provider's offerings
 * leave the catalogue); anything else to staff and the provider's managers.
 */
export function canSeeOffering(
  caller: Caller | null,
  offering: OfferingEntity,
  provider: ProviderEntity,
  managed: Set<string>,
): boolean {
  if (!caller || caller.communityId !== offering.communityId) return false;
  if (offering.status === OfferingStatus.PUBLISHED && provider.status === ProviderStatus.VERIFIED) return true;
  return isStaffOf(caller, offering.communityId) || managed.has(offering.providerId);
}

/** An order is seen by its buyer, the provider's managers and the community's staff. */
export function canSeeOrder(caller: Caller | null, order: OrderEntity, managed: Set<string>): boolean {
  if (!caller || caller.communityId !== order.communityId) return false;
  return order.buyerId === caller.userId || managed.has(order.providerId) || isStaffOf(caller, order.communityId);
}
