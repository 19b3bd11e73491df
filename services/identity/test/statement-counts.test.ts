import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES, DEMO_GRIDS, DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { builders, countStatements, graphqlData, type TestUser } from '@taoyuan/testing';
import { startIdentityForTests, type IdentityUnderTest } from './support/start-identity';

/**
 * Every list this subgraph offers costs a fixed number of SQL statements, whatever the number of rows: the per-row
 * fields (grids, grid leaders, households, residences, communities of users) go through DataLoaders. Unpaged lists
 * (communities, pending claims) are measured at 5 and again after growing to 50; `_entities` with 5 and 50.
 */
let identity: IdentityUnderTest;
let build: ReturnType<typeof builders>;
let committeeToken: string;
const claimants: TestUser[] = [];
let extraCommunities = 0;

const COMMITTEE = DEMO_USERS.find((user) => user.phone === '13800000001')!;

const QUERIES = {
  communities: `{ communities { id name city grids { name leader { id displayName } } } }`,
  claims: `{ pendingResidenceClaims { id displayName phone household { building room }
    residence { status household { unit } } community { name } } }`,
  users: `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { id displayName phone roles
    household { building room } residence { status household { room } } community { name grids { name } } } } }`,
};
type QueryName = keyof typeof QUERIES;

/** Communities (each with a grid) and residents claiming a household of 桃源居 until there are `count` of each. */
async function growTo(count: number): Promise<void> {
  const db = identity.server.deps.dataSource;
  for (; DEMO_COMMUNITIES.length + extraCommunities < count; extraCommunities += 1) {
    const communityId = randomUUID();
    await db.query(`INSERT INTO communities (id, name, city, district) VALUES ($1, $2, '深圳市', '宝安区')`, [
      communityId,
      `桃源居第${extraCommunities + 1}分区`,
    ]);
    await db.query(`INSERT INTO grids (id, community_id, name) VALUES ($1, $2, '第一网格')`, [
      randomUUID(),
      communityId,
    ]);
  }
  for (let index = claimants.length; index < count; index += 1) {
    // The community's household register (as staff keep it) holds the new flat.
    const householdId = randomUUID();
    await db.query(
      `INSERT INTO households (id, community_id, grid_id, building, unit, room) VALUES ($1, $2, $3, $4, '2单元', $5)`,
      [householdId, TAOYUANJU.id, DEMO_GRIDS[0].id, `${(index % 6) + 1}栋`, `${100 + index}`],
    );
    const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName: `新居民${index + 1}` });
    await graphqlData(
      identity.url,
      `mutation($householdId: ID) { claimHousehold(householdId: $householdId) { id } }`,
      { householdId },
      { token: resident.accessToken },
    );
    claimants.push(resident);
  }
}

function variables(name: QueryName, count: number): Record<string, unknown> {
  return name === 'users' ? { reps: claimants.slice(0, count).map(({ id }) => ({ __typename: 'User', id })) } : {};
}

function measure<Data>(name: QueryName, count: number) {
  return countStatements(identity.server.deps.queries, () =>
    graphqlData<Data>(identity.url, QUERIES[name], variables(name, count), {
      token: committeeToken,
      ...(name === 'users' ? { asGatewayTo: 'identity' } : {}),
    }),
  );
}

const atFive = new Map<QueryName, number>();

beforeAll(async () => {
  identity = await startIdentityForTests();
  build = builders(identity.url);
  committeeToken = (await build.login(COMMITTEE.phone, 'taoyuan-demo')).accessToken;
  await growTo(5);
  for (const name of Object.keys(QUERIES) as QueryName[]) atFive.set(name, (await measure(name, 5)).statements);
  await growTo(50);
}, 300_000);
afterAll(() => identity?.stop());

describe('SQL statements do not grow with the list', () => {
  it('communities with their grids and grid leaders: the same at 5 and 50', async () => {
    type Data = { communities: { name: string; grids: { name: string; leader: { displayName: string } | null }[] }[] };
    const { result, statements } = await measure<Data>('communities', 50);
    expect(result.communities).toHaveLength(50);
    const taoyuanju = result.communities.find((community) => community.name === TAOYUANJU.name);
    expect(taoyuanju?.grids.map((grid) => grid.leader?.displayName)).toContain(COMMITTEE.displayName);
    expect(result.communities.find((community) => community.name === '桃源居第30分区')?.grids).toEqual([
      { name: '第一网格', leader: null },
    ]);
    expect(statements).toBe(atFive.get('communities'));
  });

  it('pending household claims with address, residence and community, for a committee member: the same at 5 and 50', async () => {
    type Data = {
      pendingResidenceClaims: {
        id: string;
        displayName: string;
        phone: string;
        household: { building: string; room: string };
        residence: { status: string };
        community: { name: string };
      }[];
    };
    const { result, statements } = await measure<Data>('claims', 50);
    const claims = result.pendingResidenceClaims;
    expect(claims.map((claim) => claim.id)).toEqual(claimants.map((claimant) => claimant.id));
    expect(claims[17]).toMatchObject({
      displayName: '新居民18',
      phone: claimants[17].phone,
      household: { building: '6栋', room: '117' },
      residence: { status: 'CLAIMED' },
      community: { name: TAOYUANJU.name },
    });
    expect(statements).toBe(atFive.get('claims'));
  });

  it('users resolved for the gateway with household, residence and community: the same at 5 and 50', async () => {
    type Data = { _entities: { id: string; household: { room: string }; residence: { status: string } }[] };
    const { result, statements } = await measure<Data>('users', 50);
    expect(result._entities.map((user) => user.id)).toEqual(claimants.map((claimant) => claimant.id));
    expect(result._entities[42]).toMatchObject({ household: { room: '142' }, residence: { status: 'CLAIMED' } });
    expect(statements).toBe(atFive.get('users'));
  });

  it('`me` with its community, the most frequent question: one statement', async () => {
    const { result, statements } = await countStatements(identity.server.deps.queries, () =>
      graphqlData<{ me: { displayName: string; community: { name: string } } }>(
        identity.url,
        `{ me { displayName community { name city } } }`,
        {},
        { token: committeeToken },
      ),
    );
    expect(result.me).toEqual({
      displayName: COMMITTEE.displayName,
      community: { name: TAOYUANJU.name, city: '深圳市' },
    });
    expect(statements).toBe(1);
  });
});
