import {
  loadWindowedPage,
  pageArgs,
  timeAndIdCursor,
  requireCaller,
  toConnection,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { NeedEntity } from '../entities/need.entity';
import { requireSearchTerm, textCondition } from './input';
import { afterCondition, inOrder } from './keyset';
import { NeedStatus, type ServiceCategory } from './vocabulary';

export interface NeedFilter {
  category?: ServiceCategory | null;
  status?: NeedStatus | null;
  text?: string | null;
}

/** The needs board of the caller's community; a need waiting for its escrow shows only to its poster. */
export class NeedQueries {
  constructor(private readonly db: DataSource) {}

  async list(
    context: ServiceContext,
    filter: NeedFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<NeedEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const parameters: unknown[] = [caller.communityId, caller.userId];
    let where = `n.community_id = $1 AND (n.status <> 'PENDING_ESCROW' OR n.posted_by = $2)`;
    if (filter.category) {
      parameters.push(filter.category);
      where += ` AND n.category = $${parameters.length}`;
    }
    if (filter.status) {
      parameters.push(filter.status);
      where += ` AND n.status = $${parameters.length}`;
    }
    if (filter.text) where += ` AND ${textCondition(requireSearchTerm(filter.text), 'n', parameters)}`;
    where += afterCondition(page.after, 'n.created_at', 'n.id', parameters);
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT n.id FROM needs n WHERE ${where} ORDER BY n.created_at DESC, n.id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = ids.length
      ? inOrder(
          ids.map((row) => row.id),
          await this.db.getRepository(NeedEntity).findBy({ id: In(ids.map((row) => row.id)) }),
        )
      : [];
    return toConnection(rows, page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /**
   * The needs one resident posted (`User.needs`), newest first, as the caller may see them: one page per poster, every
   * poster of the request in one windowed statement.
   */
  postedBy(
    context: ServiceContext,
    posterId: string,
    status: NeedStatus | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<NeedEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const params: unknown[] = [caller.communityId, caller.userId];
    let where = `community_id = $1 AND (status <> 'PENDING_ESCROW' OR posted_by = $2)`;
    if (status) {
      params.push(status);
      where += ` AND status = $${params.length}`;
    }
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: `needs-by-poster:${caller.communityId}:${caller.userId}:${status ?? ''}`,
      parentId: posterId,
      list: { from: 'needs', parent: 'posted_by', orderBy: ['created_at', 'id'], direction: 'DESC', where, params },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.getRepository(NeedEntity).findBy({ id: In(ids) }),
      cursorOf: (row) => [row.createdAt.getTime(), row.id],
    });
  }

  async visible(context: ServiceContext, id: string): Promise<NeedEntity | null> {
    const caller = requireCaller(context);
    const need = await this.db.getRepository(NeedEntity).findOneBy({ id });
    if (!need || need.communityId !== caller.communityId) return null;
    if (need.status === NeedStatus.PENDING_ESCROW && need.postedBy !== caller.userId) return null;
    return need;
  }
}
