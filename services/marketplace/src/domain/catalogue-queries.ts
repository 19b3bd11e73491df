import {
  BadUserInputError,
  isUuid,
  loadKeyed,
  loadWindowedPage,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  toConnection,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { OfferingEntity } from '../entities/offering.entity';
import { ProviderEntity } from '../entities/provider.entity';
import { SlotEntity } from '../entities/slot.entity';
import { canSeeOffering, canSeeProvider, isStaffOf, type AccessPolicy } from './access-policy';
import { requireSearchTerm, requireValidDate, textCondition } from './input';
import { afterCondition, inOrder } from './keyset';
import type { ProviderKind, ProviderStatus, ServiceCategory, TargetGroup } from './vocabulary';

export interface OfferingFilter {
  category?: ServiceCategory | null;
  targetGroup?: TargetGroup | null;
  providerKind?: ProviderKind | null;
  payableWithPoints?: boolean | null;
  text?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface ProviderFilter {
  kind?: ProviderKind | null;
  status?: ProviderStatus | null;
}

/** Providers and offerings as the caller may see them; reference resolvers go through `visible…` too. */
export class CatalogueQueries {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  /** The community's catalogue: published offerings of verified providers, newest first. */
  async offerings(
    context: ServiceContext,
    filter: OfferingFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<OfferingEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const parameters: unknown[] = [caller.communityId];
    let where = `o.community_id = $1 AND o.status = 'PUBLISHED' AND p.status = 'VERIFIED'`;
    if (filter.category) {
      parameters.push(filter.category);
      where += ` AND o.category = $${parameters.length}`;
    }
    if (filter.targetGroup) {
      parameters.push([filter.targetGroup]);
      where += ` AND o.target_groups @> $${parameters.length}::text[]`;
    }
    if (filter.providerKind) {
      parameters.push(filter.providerKind);
      where += ` AND p.kind = $${parameters.length}`;
    }
    if (filter.payableWithPoints != null)
      where += filter.payableWithPoints ? ` AND o.price_points IS NOT NULL` : ` AND o.price_points IS NULL`;
    if (filter.text) where += ` AND ${textCondition(requireSearchTerm(filter.text), 'o', parameters)}`;
    if (filter.from || filter.to) {
      const from = filter.from ? requireValidDate(filter.from, 'from') : new Date(0);
      const to = filter.to ? requireValidDate(filter.to, 'to') : new Date('9999-12-31T00:00:00Z');
      if (to <= from) throw new BadUserInputError('to must be after from', 'to');
      parameters.push(from, to);
      where += ` AND EXISTS (SELECT 1 FROM slots s WHERE s.offering_id = o.id
                               AND s.ends_at > $${parameters.length - 1} AND s.starts_at < $${parameters.length})`;
    }
    where += afterCondition(page.after, 'o.created_at', 'o.id', parameters);
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT o.id FROM offerings o JOIN providers p ON p.id = o.provider_id
        WHERE ${where} ORDER BY o.created_at DESC, o.id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = await this.offeringsByIds(ids.map((row) => row.id));
    return toConnection(rows, page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /**
   * Published offerings an organization provides to the caller's community (`Organization.serviceOfferings`), newest
   * first: one page per organization, every organization of the request in one windowed statement.
   */
  offeredBy(
    context: ServiceContext,
    organizationId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<OfferingEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: `organization-offerings:${caller.communityId}`,
      parentId: organizationId,
      list: {
        from: 'offerings o JOIN providers p ON p.id = o.provider_id',
        parent: 'p.organization_id',
        id: 'o.id',
        orderBy: ['o.created_at', 'o.id'],
        direction: 'DESC',
        where: `o.community_id = $1 AND o.status = 'PUBLISHED' AND p.status = 'VERIFIED'`,
        params: [caller.communityId],
      },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.getRepository(OfferingEntity).findBy({ id: In(ids) }),
      cursorOf: (row) => [row.createdAt.getTime(), row.id],
    });
  }

  async providers(
    context: ServiceContext,
    filter: ProviderFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<ProviderEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const parameters: unknown[] = [caller.communityId];
    let where = `community_id = $1`;
    if (filter.kind) {
      parameters.push(filter.kind);
      where += ` AND kind = $${parameters.length}`;
    }
    if (!isStaffOf(caller, caller.communityId)) {
      // Everyone sees verified providers; a provider's managers also see their own in any status.
      parameters.push([...(await this.policy.managedProviderIds(context))]);
      where += ` AND (status = 'VERIFIED' OR id = ANY($${parameters.length}::uuid[]))`;
    }
    if (filter.status) {
      parameters.push(filter.status);
      where += ` AND status = $${parameters.length}`;
    }
    where += afterCondition(page.after, 'created_at', 'id', parameters);
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM providers WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = inOrder(
      ids.map((row) => row.id),
      ids.length ? await this.db.getRepository(ProviderEntity).findBy({ id: In(ids.map((row) => row.id)) }) : [],
    );
    return toConnection(rows, page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /** Providers by id, each only if the caller may see it: `provider(id)` and `_entities` both come here. */
  async visibleProviders(context: ServiceContext, ids: readonly string[]): Promise<(ProviderEntity | null)[]> {
    const rows = await this.loadProviders(context, ids);
    const managed = await this.policy.managedProviderIds(context);
    return rows.map((row) => (row && canSeeProvider(context.caller, row, managed) ? row : null));
  }

  /** Offerings by id, each only if the caller may see it: `serviceOffering(id)` and `_entities` both come here. */
  async visibleOfferings(context: ServiceContext, ids: readonly string[]): Promise<(OfferingEntity | null)[]> {
    const offerings = await this.loadOfferings(context, ids);
    const providers = await this.loadProviders(
      context,
      offerings.map((offering) => offering?.providerId ?? ''),
    );
    const managed = await this.policy.managedProviderIds(context);
    return offerings.map((offering, index) => {
      const provider = providers[index];
      return offering && provider && canSeeOffering(context.caller, offering, provider, managed) ? offering : null;
    });
  }

  loadProviders(context: ServiceContext, ids: readonly string[]): Promise<(ProviderEntity | null)[]> {
    return context.loaders
      .get<string, ProviderEntity | null>('providers', async (keys) => {
        const valid = keys.filter(isUuid);
        const rows = valid.length ? await this.db.getRepository(ProviderEntity).findBy({ id: In(valid) }) : [];
        const byId = new Map(rows.map((row) => [row.id, row]));
        return keys.map((key) => byId.get(key) ?? null);
      })
      .loadMany(ids)
      .then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
  }

  loadOfferings(context: ServiceContext, ids: readonly string[]): Promise<(OfferingEntity | null)[]> {
    return context.loaders
      .get<string, OfferingEntity | null>('offerings', async (keys) => {
        const valid = keys.filter(isUuid);
        const rows = valid.length ? await this.db.getRepository(OfferingEntity).findBy({ id: In(valid) }) : [];
        const byId = new Map(rows.map((row) => [row.id, row]));
        return keys.map((key) => byId.get(key) ?? null);
      })
      .loadMany(ids)
      .then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
  }

  slotsOf(context: ServiceContext, offeringId: string): Promise<SlotEntity[]> {
    return context.loaders
      .get<string, SlotEntity[]>('slotsByOffering', async (keys) => {
        const rows = await this.db
          .getRepository(SlotEntity)
          .find({ where: { offeringId: In([...keys]) }, order: { startsAt: 'ASC', id: 'ASC' } });
        return keys.map((key) => rows.filter((row) => row.offeringId === key));
      })
      .load(offeringId);
  }

  /** Slots by id, every slot of the request (e.g. `Order.slot` of a page of orders) in one statement. */
  loadSlot(context: ServiceContext, id: string): Promise<SlotEntity | null> {
    return loadKeyed<SlotEntity | null>(
      context.loaders,
      'slots',
      id,
      async (ids) => {
        const rows = await this.db.getRepository(SlotEntity).findBy({ id: In(ids) });
        return new Map(rows.map((row) => [row.id, row]));
      },
      null,
    );
  }

  private async offeringsByIds(ids: string[]): Promise<OfferingEntity[]> {
    if (ids.length === 0) return [];
    return inOrder(ids, await this.db.getRepository(OfferingEntity).findBy({ id: In(ids) }));
  }
}
