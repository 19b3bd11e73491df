import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES, DEMO_GRID_LEADERS, DEMO_GRIDS, DEMO_PASSWORD, DEMO_USERS } from '@taoyuan/demo-data';
import type { Logger } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { PasswordHasher } from '../domain/password-hasher';
import { ResidenceEntity } from '../entities/residence.entity';
import { IdentityEvents } from '../events/identity-events';

const COMMITTEE_MEMBER = DEMO_USERS.find((user) => user.roles.includes('COMMITTEE'));
const COMMUNITY_WORKER = DEMO_USERS.find((user) => user.roles.includes('COMMUNITY_WORKER'));

/**
 * The demo community 桃源居 with grids, households, staff and residents, every demo resident's household confirmed
 * (by the committee member; the committee member's own by the community worker, since nobody confirms themselves).
 * Each confirmation is announced through the outbox as a real one would be, so other services' projections learn it.
 * Idempotent: a second run adds nothing and announces nothing.
 */
export async function seedIdentityDemo(
  db: DataSource,
  logger: Logger,
  hasher: PasswordHasher = new PasswordHasher(),
): Promise<void> {
  if (!COMMITTEE_MEMBER || !COMMUNITY_WORKER) throw new Error('The demo data needs a committee member and a worker');
  const existing: { phone: string }[] = await db.query(`SELECT phone FROM users WHERE phone = ANY($1)`, [
    DEMO_USERS.map((u) => u.phone),
  ]);
  const known = new Set(existing.map((row) => row.phone));
  const passwordHash = known.size < DEMO_USERS.length ? await hasher.hash(DEMO_PASSWORD) : '';
  await db.transaction(async (manager) => {
    for (const community of DEMO_COMMUNITIES) {
      await manager.query(
        `INSERT INTO communities (id, name, city, district) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
        [community.id, community.name, community.city, community.district],
      );
    }
    for (const grid of DEMO_GRIDS) {
      await manager.query(
        `INSERT INTO grids (id, community_id, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
        [grid.id, grid.communityId, grid.name],
      );
    }
    let added = 0;
    for (const user of DEMO_USERS) {
      const grid = DEMO_GRIDS[user.home.gridIndex];
      await manager.query(
        `INSERT INTO households (id, community_id, grid_id, building, unit, room) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (community_id, building, unit, room) DO NOTHING`,
        [randomUUID(), grid.communityId, grid.id, user.home.building, user.home.unit, user.home.room],
      );
      if (known.has(user.phone)) continue;
      const [household] = await manager.query<{ id: string }[]>(
        `SELECT id FROM households WHERE community_id = $1 AND building = $2 AND unit = $3 AND room = $4`,
        [grid.communityId, user.home.building, user.home.unit, user.home.room],
      );
      await manager.query(
        `INSERT INTO users (id, community_id, phone, display_name, password_hash, roles, household_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [user.id, grid.communityId, user.phone, user.displayName, passwordHash, user.roles, household?.id ?? null],
      );
      added += 1;
    }
    for (const [gridId, leaderId] of Object.entries(DEMO_GRID_LEADERS)) {
      await manager.query(`UPDATE grids SET leader_user_id = $2 WHERE id = $1 AND leader_user_id IS NULL`, [
        gridId,
        leaderId,
      ]);
    }
    const events = new IdentityEvents();
    let confirmed = 0;
    for (const user of DEMO_USERS) {
      const decidedBy = user.id === COMMITTEE_MEMBER.id ? COMMUNITY_WORKER.id : COMMITTEE_MEMBER.id;
      // Only a demo user whose row is the demo's (a real registration may hold the phone), at its demo household;
      // an existing open claim on that household (from before residences were confirmed) is confirmed too.
      const rows = await manager.query<{ version: number }[]>(
        `INSERT INTO residences AS r (user_id, community_id, household_id, status, version, claimed_at, decided_at, decided_by)
         SELECT u.id, u.community_id, u.household_id, 'CONFIRMED', 1, now(), now(), $2
           FROM users u WHERE u.id = $1 AND u.household_id IS NOT NULL
         ON CONFLICT (user_id) DO UPDATE SET status = 'CONFIRMED', version = r.version + 1,
           decided_at = now(), decided_by = $2
         WHERE r.status = 'CLAIMED' AND r.household_id = EXCLUDED.household_id
         RETURNING version`,
        [user.id, decidedBy],
      );
      if (rows.length === 0) continue;
      const residence = await manager.findOneByOrFail(ResidenceEntity, { userId: user.id });
      await manager.query(
        `INSERT INTO residence_changes (id, community_id, user_id, household_id, action, version, changed_by)
         VALUES ($1, $2, $3, $4, 'CONFIRMED', $5, $6)`,
        [randomUUID(), residence.communityId, residence.userId, residence.householdId, residence.version, decidedBy],
      );
      await events.residenceChanged(manager, residence, residence.decidedAt ?? new Date());
      confirmed += 1;
    }
    logger.info({ added, confirmed }, 'identity demo data seeded');
  });
}
