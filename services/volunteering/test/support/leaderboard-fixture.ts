import { createDataSource } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { volunteeringEntities } from '../../src/entities';
import { volunteeringMigrations } from '../../src/migrations';

export const FIXTURE_COMMUNITIES = 5;
export const FIXTURE_USERS_PER_COMMUNITY = 400;

/** Community ids of the fixture: deterministic, so the test and the benchmark query the same one. */
export function fixtureCommunity(index: number): string {
  return `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`;
}

/** A migrated volunteering database at `url` (no server). */
export async function migratedDatabase(url: string): Promise<DataSource> {
  const { dataSource } = createDataSource({ url, entities: volunteeringEntities, migrations: volunteeringMigrations });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * `entries` ledger rows spread evenly over five communities, 2,000 residents and the last three years (mostly
 * earnings, some redemptions and reversals), written with generate_series in one statement, then VACUUM ANALYZE so
 * the planner sees the real table (as autovacuum would in production).
 */
export async function insertLedgerFixture(db: DataSource, entries: number): Promise<void> {
  const users = FIXTURE_COMMUNITIES * FIXTURE_USERS_PER_COMMUNITY;
  await db.query(
    `INSERT INTO points_accounts (user_id, community_id, balance, lifetime_earned)
     SELECT ('00000000-0000-4000-a000-' || lpad(u::text, 12, '0'))::uuid,
            ('00000000-0000-4000-9000-' || lpad((u % $2)::text, 12, '0'))::uuid, 0, 0
       FROM generate_series(0, $1 - 1) u`,
    [users, FIXTURE_COMMUNITIES],
  );
  await db.query(
    `INSERT INTO points_entries (id, community_id, user_id, delta, kind, source_type, source_id, balance_after,
                                 lifetime_after, created_at)
     SELECT gen_random_uuid(),
            ('00000000-0000-4000-9000-' || lpad(((i % $2) % $3)::text, 12, '0'))::uuid,
            ('00000000-0000-4000-a000-' || lpad((i % $2)::text, 12, '0'))::uuid,
            CASE WHEN i % 20 = 0 THEN -5 WHEN i % 50 = 1 THEN -3 ELSE 10 + i % 30 END,
            CASE WHEN i % 20 = 0 THEN 'REDEEMED' WHEN i % 50 = 1 THEN 'REVERSAL'
                 WHEN i % 7 = 0 THEN 'BONUS' ELSE 'EARNED_VOLUNTEERING' END,
            'FIXTURE', i::text, 0, 0,
            now() - (i::float8 / $1) * interval '1095 days'
       FROM generate_series(1, $1) i`,
    [entries, users, FIXTURE_COMMUNITIES],
  );
  await db.query(
    `UPDATE points_accounts a SET lifetime_earned = GREATEST(t.earned, 0), balance = GREATEST(t.net, 0)
       FROM (SELECT user_id, sum(delta) FILTER (WHERE kind <> 'REDEEMED') AS earned, sum(delta) AS net
               FROM points_entries GROUP BY user_id) t
      WHERE a.user_id = t.user_id`,
  );
  await db.query(`VACUUM ANALYZE points_entries`);
  await db.query(`VACUUM ANALYZE points_accounts`);
}
