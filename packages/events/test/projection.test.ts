import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@taoyuan/testing';
import type { DataSource } from 'typeorm';
import { applyIfNewer, versionedUpsert, type OrderedProjection } from '../src';
import { startDatabase } from './support';

type MemberRow = { membership_id: string; role: string; active: boolean; version: number } & Record<string, unknown>;
const members: OrderedProjection<MemberRow> = {
  table: 'projected_members',
  key: ['membership_id'],
  version: 'version',
};

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('versionedUpsert (no database)', () => {
  it('refuses identifiers that are not plain snake_case, so nothing odd reaches the SQL', () => {
    expect(() =>
      versionedUpsert({ table: 'x; DROP TABLE y', key: ['id'], version: 'version' }, { id: '1', version: 1 }),
    ).toThrow(/identifier/);
    expect(() => versionedUpsert(members, { membership_id: '1', role: 'MEMBER', active: true, version: 1.5 })).toThrow(
      /integer/,
    );
  });

  it('refuses a row without its key or version', () => {
    expect(() =>
      versionedUpsert(members, { role: 'MEMBER', active: true, version: 1 } as unknown as MemberRow),
    ).toThrow(/membership_id/);
  });
});

describe('applyIfNewer (PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ database, dataSource } = await startDatabase());
    await dataSource.query(
      `CREATE TABLE projected_members (membership_id uuid PRIMARY KEY, role text NOT NULL, active boolean NOT NULL,
                                       version integer NOT NULL)`,
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives the row of the newest fact after every permutation of a history, applying only newer facts', async () => {
    const history = (membershipId: string): MemberRow[] => [
      { membership_id: membershipId, role: 'MEMBER', active: true, version: 2 },
      { membership_id: membershipId, role: 'ACTIVIST', active: true, version: 3 },
      { membership_id: membershipId, role: 'BACKBONE', active: true, version: 4 },
      { membership_id: membershipId, role: 'BACKBONE', active: false, version: 5 },
    ];
    for (const order of permutations([0, 1, 2, 3])) {
      const membershipId = randomUUID();
      const facts = history(membershipId);
      let applied = 0;
      for (const index of order) if (await applyIfNewer(dataSource.manager, members, facts[index])) applied += 1;
      // Redelivering everything changes nothing.
      for (const fact of facts) expect(await applyIfNewer(dataSource.manager, members, fact)).toBe(false);
      const [row] = await dataSource.query(`SELECT * FROM projected_members WHERE membership_id = $1`, [membershipId]);
      expect(row).toEqual({ membership_id: membershipId, role: 'BACKBONE', active: false, version: 5 });
      expect(applied).toBeGreaterThanOrEqual(1);
    }
  });
});
