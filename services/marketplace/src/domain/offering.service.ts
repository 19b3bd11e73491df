import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  requireCaller,
  type AuthContext,
  type Caller,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { OfferingEntity } from '../entities/offering.entity';
import { ProviderEntity } from '../entities/provider.entity';
import { SlotEntity } from '../entities/slot.entity';
import type { MarketplaceEvents } from '../events/marketplace-events';
import type { AccessPolicy } from './access-policy';
import { requireIntegerIn, requireLine, requireParagraph, requireValidDate } from './input';
import { lockRow } from './locked-row';
import { OfferingStatus, ProviderStatus, type ServiceCategory, type TargetGroup } from './vocabulary';

export interface OfferingInput {
  providerId: string;
  title: string;
  description?: string | null;
  category: ServiceCategory;
  targetGroups: TargetGroup[];
  free?: boolean | null;
  pricePoints?: number | null;
  priceFen?: number | null;
}

export interface SlotInput {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

export const MAX_PRICE_POINTS = 10_000;
/** 100,000 yuan: far above any community service, low enough that a slip of the finger is refused. */
export const MAX_PRICE_FEN = 10_000_000;
export const MAX_SLOT_CAPACITY = 500;

const TRANSITIONS: Record<OfferingStatus, OfferingStatus[]> = {
  [OfferingStatus.DRAFT]: [OfferingStatus.PUBLISHED, OfferingStatus.RETIRED],
  [OfferingStatus.PUBLISHED]: [OfferingStatus.PAUSED, OfferingStatus.RETIRED],
  [OfferingStatus.PAUSED]: [OfferingStatus.PUBLISHED, OfferingStatus.RETIRED],
  [OfferingStatus.RETIRED]: [],
};

/** Free, points, cash in fen, or several of them (the buyer picks, e.g. 四点半课堂: free or 20 points). */
export function requirePrice(input: Pick<OfferingInput, 'free' | 'pricePoints' | 'priceFen'>) {
  const pricePoints = input.pricePoints ?? null;
  const priceFen = input.priceFen ?? null;
  if (pricePoints !== null) requireIntegerIn(pricePoints, 'pricePoints', 1, MAX_PRICE_POINTS);
  if (priceFen !== null) requireIntegerIn(priceFen, 'priceFen', 1, MAX_PRICE_FEN);
  const free = input.free ?? false;
  if (!free && pricePoints === null && priceFen === null)
    throw new BadUserInputError('Give a price in points, in fen, or both; or mark the offering free', 'pricePoints');
  return { free, pricePoints, priceFen };
}

/** Offerings and their time slots, run by the provider's managers. */
export class OfferingService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
    private readonly events: MarketplaceEvents,
  ) {}

  async create(context: AuthContext, input: OfferingInput): Promise<OfferingEntity> {
    const caller = requireCaller(context);
    const values = {
      title: requireLine(input.title, 'title', 1, 80),
      description: requireParagraph(input.description, 'description', 2000),
      category: input.category,
      targetGroups: [...new Set(input.targetGroups)],
      ...requirePrice(input),
    };
    if (values.targetGroups.length === 0) throw new BadUserInputError('Name at least one target group', 'targetGroups');
    return this.db.transaction(async (manager) => {
      const provider = await this.providerFor(manager, caller, input.providerId);
      if (provider.status === ProviderStatus.REJECTED)
        throw new ConflictError('PROVIDER_NOT_VERIFIED', 'A rejected provider cannot offer services');
      const id = randomUUID();
      await manager.insert(OfferingEntity, {
        id,
        providerId: provider.id,
        communityId: provider.communityId,
        ...values,
        status: OfferingStatus.DRAFT,
        createdBy: caller.userId,
      });
      return manager.findOneByOrFail(OfferingEntity, { id });
    });
  }

  async addSlot(context: AuthContext, offeringId: string, input: SlotInput): Promise<SlotEntity> {
    const caller = requireCaller(context);
    const startsAt = requireValidDate(input.startsAt, 'startsAt');
    const endsAt = requireValidDate(input.endsAt, 'endsAt');
    if (startsAt.getTime() <= Date.now()) throw new BadUserInputError('startsAt must be in the future', 'startsAt');
    if (endsAt <= startsAt) throw new BadUserInputError('endsAt must be after startsAt', 'endsAt');
    const capacity = requireIntegerIn(input.capacity, 'capacity', 1, MAX_SLOT_CAPACITY);
    return this.db.transaction(async (manager) => {
      const offering = await this.lockForManager(manager, caller, offeringId);
      if (offering.status === OfferingStatus.RETIRED)
        throw new ConflictError('OFFERING_RETIRED', 'A retired offering takes no new slots');
      const id = randomUUID();
      await manager.insert(SlotEntity, { id, offeringId, startsAt, endsAt, capacity, taken: 0 });
      return manager.findOneByOrFail(SlotEntity, { id });
    });
  }

  async setStatus(context: AuthContext, id: string, status: OfferingStatus): Promise<OfferingEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const offering = await this.lockForManager(manager, caller, id);
      if (offering.status === status) return offering;
      if (!TRANSITIONS[offering.status].includes(status))
        throw new ConflictError(
          'INVALID_STATE',
          `A ${offering.status.toLowerCase()} offering cannot become ${status.toLowerCase()}`,
        );
      if (status === OfferingStatus.PUBLISHED) {
        const provider = await manager.findOneByOrFail(ProviderEntity, { id: offering.providerId });
        if (provider.status !== ProviderStatus.VERIFIED)
          throw new ConflictError('PROVIDER_NOT_VERIFIED', 'Only a verified provider’s offerings are published');
      }
      const firstPublication = status === OfferingStatus.PUBLISHED && offering.publishedAt === null;
      await manager.update(
        OfferingEntity,
        { id },
        {
          status,
          ...(firstPublication ? { publishedAt: () => 'clock_timestamp()' } : {}),
          updatedAt: () => 'clock_timestamp()',
        },
      );
      const updated = await manager.findOneByOrFail(OfferingEntity, { id });
      if (firstPublication)
        await this.events.offeringPublished(manager, {
          offeringId: id,
          providerId: updated.providerId,
          communityId: updated.communityId,
          category: updated.category,
          targetGroups: updated.targetGroups,
          free: updated.free,
          pricePoints: updated.pricePoints,
          priceFen: updated.priceFen,
          publishedAt: (updated.publishedAt ?? new Date()).toISOString(),
        });
      return updated;
    });
  }

  private async providerFor(manager: EntityManager, caller: Caller, providerId: string): Promise<ProviderEntity> {
    const provider = await manager.findOne(ProviderEntity, {
      where: { id: providerId },
      lock: { mode: 'pessimistic_read' },
    });
    if (!provider) throw new NotFoundError('Provider', providerId);
    await this.policy.requireManager(manager, caller, provider);
    return provider;
  }

  private async lockForManager(manager: EntityManager, caller: Caller, id: string): Promise<OfferingEntity> {
    const offering = await lockRow(manager, OfferingEntity, id);
    if (!offering) throw new NotFoundError('Service offering', id);
    await this.providerFor(manager, caller, offering.providerId);
    return offering;
  }
}
