import {
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
    postedBy: string | null = null,
  ): Promise<Connection<NeedEntity>> {
    const caller = requireCaller(context);
    const page = pageArgs(first, after, timeAndIdCursor);
    const parameters: unknown[] = [caller.communityId, caller.userId];
    let where = `n.community_id = $1 AND (n.status <> 'PENDING_ESCROW' OR n.posted_by = $2)`;
    if (postedBy) {
      parameters.push(postedBy);
      where += ` AND n.posted_by = $${parameters.length}`;
    }
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

  async visible(context: ServiceContext, id: string): Promise<NeedEntity | null> {
    const caller = requireCaller(context);
    const need = await this.db.getRepository(NeedEntity).findOneBy({ id });
    if (!need || need.communityId !== caller.communityId) return null;
    if (need.status === NeedStatus.PENDING_ESCROW && need.postedBy !== caller.userId) return null;
    return need;
  }
}
