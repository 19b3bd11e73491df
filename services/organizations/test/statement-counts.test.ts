import { countStatements } from '@taoyuan/testing';
import {
  api,
  startOrganizationsForTests,
  type OrganizationsUnderTest,
  type Person,
} from './support/start-organizations';

/**
 * Every list this subgraph offers costs a fixed number of SQL statements, whatever the number of parent rows:
 * the per-row fields (members, leaders, counts, role histories, a user's memberships) go through DataLoaders.
 */
let service: OrganizationsUnderTest;
let gql: ReturnType<typeof api>;
let resident: Person;
const leaders: Person[] = [];

beforeAll(async () => {
  service = await startOrganizationsForTests();
  gql = api(service);
  const committee = await service.person(['RESIDENT', 'COMMITTEE']);
  resident = await service.person();
  for (let index = 0; index < 50; index += 1) {
    const leader = await service.person();
    leaders.push(leader);
    const organization = await gql.activeOrganization(leader, committee, { name: `志愿服务队${index}` });
    await gql.join(await service.person(), organization);
  }
}, 120_000);
afterAll(() => service?.stop());

const ORGANIZATIONS = `query($communityId: ID!, $first: Int) {
  organizations(filter: { communityId: $communityId }, first: $first) {
    edges { node { id name leaders { id } memberCount myMembership { id } registeredBy { id }
      members(first: 2) { edges { node { role user { id } organization { id } roleHistory { toRole } } } }
    } }
  }
}`;

const USERS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on User { memberships { role organization { id name } roleHistory { toRole } } promotionHistory { id } }
  }
}`;

const statementsFor = <T>(work: () => Promise<T>) => countStatements(service.server.deps.queries, work);

describe('SQL statements do not grow with the list', () => {
  it('organizations with their leaders, counts, members and role histories: the same at 5 and at 50', async () => {
    type Data = { organizations: { edges: { node: { members: { edges: unknown[] } } }[] } };
    const listOf = (first: number) =>
      statementsFor(() => gql.data<Data>(ORGANIZATIONS, { communityId: resident.communityId, first }, resident));
    const five = await listOf(5);
    const fifty = await listOf(50);
    expect(five.result.organizations.edges).toHaveLength(5);
    expect(fifty.result.organizations.edges).toHaveLength(50);
    expect(fifty.result.organizations.edges.every((edge) => edge.node.members.edges.length === 2)).toBe(true);
    expect(fifty.statements).toBe(five.statements);
  });

  it('users resolved for the gateway with their memberships and promotions: the same at 5 and at 50', async () => {
    type Data = { _entities: { memberships: unknown[] }[] };
    const usersOf = (count: number) =>
      statementsFor(() =>
        gql.asGateway<Data>(
          USERS,
          { reps: leaders.slice(0, count).map((leader) => ({ __typename: 'User', id: leader.id })) },
          resident,
        ),
      );
    const five = await usersOf(5);
    const fifty = await usersOf(50);
    expect(fifty.result._entities).toHaveLength(50);
    expect(fifty.result._entities.every((user) => user.memberships.length === 1)).toBe(true);
    expect(fifty.statements).toBe(five.statements);
  });

  it('a resident’s memberships with their organizations’ names, as `me` asks for them: one statement', async () => {
    type Data = { _entities: { memberships: { organization: { name: string } }[] }[] };
    const { result, statements } = await statementsFor(() =>
      gql.asGateway<Data>(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { memberships { role organization { name } } } } }`,
        { reps: [{ __typename: 'User', id: leaders[0].id }] },
        leaders[0],
      ),
    );
    expect(result._entities[0].memberships.map((membership) => membership.organization.name)).toEqual(['志愿服务队0']);
    expect(statements).toBe(1);
  });
});
