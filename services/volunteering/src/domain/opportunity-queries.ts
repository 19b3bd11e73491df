import {
  BadUserInputError,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  Role,
  toConnection,
  loadKeyed,
  loadWindowedPage,
  type AuthContext,
  type Connection,
  type ServiceContext,
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

  /**
   * Published and completed opportunities an organization hosts, for `Organization.opportunities`: one page per
   * organization, every organization of the request in the same statement.
   */
  hostedBy(
    context: ServiceContext,
    organizationId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<OpportunityEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: `hosted-opportunities:${caller.communityId}`,
      parentId: organizationId,
      list: {
        from: 'opportunities',
        parent: 'organization_id',
        orderBy: ['created_at', 'id'],
        direction: 'DESC',
        where: `community_id = $1 AND status IN ('PUBLISHED', 'COMPLETED')`,
        params: [caller.communityId],
      },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.getRepository(OpportunityEntity).findBy({ id: In(ids) }),
      cursorOf: (row) => [row.createdAt.getTime(), row.id],
    });
  }

  /**
   * A volunteer's sign-ups, newest first (`communityId` null: all of them, for the volunteer themselves); every user
   * of the request asked alike in one statement.
   */
  signUpsOf(
    context: ServiceContext,
    userId: string,
    communityId: string | null,
    status: SignUpStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<SignUpEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (communityId) {
      params.push(communityId);
      conditions.push(`community_id = $${params.length}`);
    }
    if (status) {
      params.push(status);
      conditions.push(`status = $${params.length}`);
    }
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: `user-sign-ups:${communityId ?? ''}:${status ?? ''}`,
      parentId: userId,
      list: {
        from: 'sign_ups',
        parent: 'user_id',
        orderBy: ['signed_up_at', 'id'],
        direction: 'DESC',
        where: conditions.length > 0 ? conditions.join(' AND ') : undefined,
        params,
      },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.getRepository(SignUpEntity).findBy({ id: In(ids) }),
      cursorOf: (row) => [row.signedUpAt.getTime(), row.id],
    });
  }

  /** Verified hours per volunteer (`communityId` null: everywhere), every user of the request in one statement. */
  volunteerHours(context: ServiceContext, userId: string, communityId: string | null): Promise<number> {
    return loadKeyed(
      context.loaders,
      `volunteer-hours:${communityId ?? ''}`,
      userId,
      async (userIds) => {
        const rows = await this.db.query<{ user_id: string; hours: string }[]>(
          `SELECT user_id, sum(hours)::text AS hours FROM attendances
            WHERE user_id = ANY($1) AND ($2::uuid IS NULL OR community_id = $2) GROUP BY user_id`,
          [userIds, communityId],
        );
        return new Map(rows.map((row) => [row.user_id, Number(row.hours)]));
      },
      0,
    );
  }

  private async byIdsInOrder(ids: string[]): Promise<OpportunityEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.getRepository(OpportunityEntity).findBy({ id: In(ids) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is OpportunityEntity => row !== undefined);
  }
}
