import {
  BadUserInputError,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  Role,
  toConnection,
  type AuthContext,
  type Connection,
} from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { OpportunityEntity } from '../entities/opportunity.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import { requireValidDate } from './input';
import { type OpportunityCategory, OpportunityStatus, PLACE_HOLDING_STATUSES, type SignUpStatus } from './vocabulary';

export interface OpportunityListFilter {
  category?: OpportunityCategory | null;
  from?: Date | null;
  to?: Date | null;
  hasSpots?: boolean | null;
  organizationId?: string | null;
  status?: OpportunityStatus | null;
}

/** Keyset cursor of "newest first" lists: the row's timestamp in milliseconds and its id. */
type Cursor = [number, string];

function cursorCondition(after: Cursor | null, column: string, parameters: unknown[]): string {
  if (!after) return '';
  if (!Array.isArray(after) || typeof after[0] !== 'number' || typeof after[1] !== 'string')
    throw new BadUserInputError('after is not a valid cursor', 'after');
  parameters.push(new Date(after[0]), after[1]);
  return ` AND (${column}, id) < ($${parameters.length - 1}, $${parameters.length})`;
}

/** Lists with Relay connections, always inside the caller's community. */
export class OpportunityQueries {
  constructor(private readonly db: DataSource) {}

  async list(
    context: AuthContext,
    filter: OpportunityListFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<OpportunityEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const status = filter.status ?? OpportunityStatus.PUBLISHED;
    const parameters: unknown[] = [caller.communityId, status];
    let where = `community_id = $1 AND status = $2`;
    const isPublic = status === OpportunityStatus.PUBLISHED || status === OpportunityStatus.COMPLETED;
    if (!isPublic && !caller.roles.includes(Role.COMMUNITY_WORKER)) {
      parameters.push(caller.userId);
      where += ` AND created_by = $${parameters.length}`;
    }
    if (filter.category) {
      parameters.push(filter.category);
      where += ` AND category = $${parameters.length}`;
    }
    if (filter.organizationId) {
      parameters.push(filter.organizationId);
      where += ` AND organization_id = $${parameters.length}`;
    }
    if (filter.from || filter.to) {
      const from = filter.from ? requireValidDate(filter.from, 'from') : new Date(0);
      const to = filter.to ? requireValidDate(filter.to, 'to') : new Date('9999-12-31T00:00:00Z');
      if (to <= from) throw new BadUserInputError('to must be after from', 'to');
      parameters.push(from, to);
      where += ` AND EXISTS (SELECT 1 FROM shifts s WHERE s.opportunity_id = opportunities.id
                               AND s.ends_at > $${parameters.length - 1} AND s.starts_at < $${parameters.length})`;
    }
    if (filter.hasSpots != null) {
      parameters.push(PLACE_HOLDING_STATUSES);
      const freePlace = `EXISTS (SELECT 1 FROM shifts s WHERE s.opportunity_id = opportunities.id AND s.starts_at > now()
                           AND s.capacity > (SELECT count(*) FROM sign_ups su
                                              WHERE su.shift_id = s.id AND su.status = ANY($${parameters.length})))`;
      where += filter.hasSpots ? ` AND ${freePlace}` : ` AND NOT ${freePlace}`;
    }
    where += cursorCondition(page.after, 'created_at', parameters);
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM opportunities WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = await this.byIdsInOrder(ids.map((row) => row.id));
    return toConnection(rows, page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /** Published and completed opportunities an organization hosts, for `Organization.opportunities`. */
  async hostedBy(
    context: AuthContext,
    organizationId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<OpportunityEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const parameters: unknown[] = [organizationId, caller.communityId];
    const where = `organization_id = $1 AND community_id = $2 AND status IN ('PUBLISHED', 'COMPLETED')${cursorCondition(
      page.after,
      'created_at',
      parameters,
    )}`;
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM opportunities WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = await this.byIdsInOrder(ids.map((row) => row.id));
    return toConnection(rows, page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /** A volunteer's sign-ups, newest first. */
  async signUpsOf(
    userId: string,
    communityId: string | null,
    status: SignUpStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<SignUpEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    const query = this.db
      .getRepository(SignUpEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId', { userId })
      .orderBy('s.signed_up_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(page.limit + 1);
    if (communityId) query.andWhere('s.community_id = :communityId', { communityId });
    if (status) query.andWhere('s.status = :status', { status });
    if (page.after) {
      const [millis, id] = page.after;
      if (typeof millis !== 'number' || typeof id !== 'string')
        throw new BadUserInputError('after is not a valid cursor', 'after');
      query.andWhere('(s.signed_up_at, s.id) < (:at, :id)', { at: new Date(millis), id });
    }
    const rows = await query.getMany();
    return toConnection(rows, page.limit, (row) => [row.signedUpAt.getTime(), row.id]);
  }

  private async byIdsInOrder(ids: string[]): Promise<OpportunityEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.getRepository(OpportunityEntity).findBy({ id: In(ids) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is OpportunityEntity => row !== undefined);
  }
}
