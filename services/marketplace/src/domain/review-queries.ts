import { pageArgs, timeAndIdCursor, toConnection, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { ReviewEntity } from '../entities/review.entity';
import { afterCondition, inOrder } from './keyset';

export interface ProviderRating {
  /** Mean of visible ratings, null without any. */
  average: number | null;
  count: number;
  /** Number of visible reviews per star, index 0 = one star … index 4 = five stars. */
  distribution: number[];
}

/** Reviews as residents see them: hidden reviews neither list nor count. */
export class ReviewQueries {
  constructor(private readonly db: DataSource) {}

  async ofOffering(
    offeringId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<ReviewEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    const parameters: unknown[] = [offeringId];
    const where = `offering_id = $1 AND NOT hidden${afterCondition(page.after, 'created_at', 'id', parameters)}`;
    parameters.push(page.limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM reviews WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const rows = ids.length
      ? inOrder(
          ids.map((row) => row.id),
          await this.db.getRepository(ReviewEntity).findBy({ id: In(ids.map((row) => row.id)) }),
        )
      : [];
    return toConnection(rows, page.limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  ratingOf(context: ServiceContext, providerId: string): Promise<ProviderRating> {
    return context.loaders
      .get<string, ProviderRating>('providerRating', async (keys) => {
        const rows = await this.db.query<{ provider_id: string; rating: number; count: number }[]>(
          `SELECT provider_id, rating, count(*)::int AS count FROM reviews
            WHERE provider_id = ANY($1) AND NOT hidden GROUP BY provider_id, rating`,
          [keys],
        );
        return keys.map((key) => {
          const distribution = [0, 0, 0, 0, 0];
          for (const row of rows) if (row.provider_id === key) distribution[row.rating - 1] = row.count;
          const count = distribution.reduce((sum, n) => sum + n, 0);
          const total = distribution.reduce((sum, n, index) => sum + n * (index + 1), 0);
          return { average: count ? Math.round((total / count) * 100) / 100 : null, count, distribution };
        });
      })
      .load(providerId);
  }
}
