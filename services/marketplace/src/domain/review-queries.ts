import {
  loadKeyed,
  loadWindowedPage,
  pageArgs,
  timeAndIdCursor,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { type DataSource, In } from 'typeorm';
import { ReviewEntity } from '../entities/review.entity';

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

  /** Visible reviews of an offering, newest first: one page per offering, every offering of the request at once. */
  ofOffering(
    context: ServiceContext,
    offeringId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<ReviewEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: 'offering-reviews',
      parentId: offeringId,
      list: {
        from: 'reviews',
        parent: 'offering_id',
        orderBy: ['created_at', 'id'],
        direction: 'DESC',
        where: 'NOT hidden',
      },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.getRepository(ReviewEntity).findBy({ id: In(ids) }),
      cursorOf: (row) => [row.createdAt.getTime(), row.id],
    });
  }

  /** The review of each order of the request (null without one), in one statement. */
  ofOrder(context: ServiceContext, orderId: string): Promise<ReviewEntity | null> {
    return loadKeyed<ReviewEntity | null>(
      context.loaders,
      'order-reviews',
      orderId,
      async (orderIds) => {
        const rows = await this.db.getRepository(ReviewEntity).findBy({ orderId: In(orderIds) });
        return new Map(rows.map((row) => [row.orderId, row]));
      },
      null,
    );
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
