import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES, DEMO_GRID_LEADERS, DEMO_GRIDS, DEMO_PASSWORD, DEMO_USERS } from '@taoyuan/demo-data';
import type { Logger } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../domain/password-hasher';

/** The demo community 桃源居 with grids, households, staff and residents. Idempotent: a second run adds nothing. */
export async function seedIdentityDemo(db: DataSource, logger: Logger): Promise<void> {
  const existing: { phone: string }[] = await db.query(`SELECT phone FROM users WHERE phone = ANY($1)`, [
    DEMO_USERS.map((u) => u.phone),
  ]);
  const known = new Set(existing.map((row) => row.phone));
  const passwordHash = known.size < DEMO_USERS.length ? await hashPassword(DEMO_PASSWORD) : '';
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
    logger.info({ added }, 'identity demo data seeded');
  });
}
