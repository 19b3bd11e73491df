import { TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlRequest } from '@taoyuan/testing';
import {
  api,
  startOrganizationsForTests,
  type OrganizationsUnderTest,
  type Person,
} from './support/start-organizations';

/** Attacks on the organizations subgraph reached directly, as anyone on its network can. */
let service: OrganizationsUnderTest;
let gql: ReturnType<typeof api>;
let committee: Person;
let leader: Person;
let resident: Person;
let active: string;
let pending: string;

const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organization { id name status } } }`;
const ORGANIZATION = `query($id: ID!) { organization(id: $id) { id name status } }`;
const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'Organization', id })) });

beforeAll(async () => {
  service = await startOrganizationsForTests({ seed: true });
  gql = api(service);
  committee = await service.person(['RESIDENT', 'COMMITTEE']);
  leader = await service.person();
  resident = await service.person();
  active = await gql.activeOrganization(leader, committee);
  pending = await gql.register(leader, { name: '待批准的组织', kind: 'OTHER', description: '' });
});
afterAll(() => service?.stop());

describe('_entities and _service answer only the gateway', () => {
  it.each([
    ['plainly', ENTITIES],
    ['behind an alias', ENTITIES.replace('_entities(', 'list: _entities(')],
    [
      'inside a fragment',
      `query($reps: [_Any!]!) { ...Q } fragment Q on Query { _entities(representations: $reps) { __typename } }`,
    ],
  ])('refuses `_entities` %s without the gateway credential', async (_how, query) => {
    const response = await gql.request(query, reps(pending), resident);
    expect(response.status).toBe(403);
    expect(gql.errorOf(response)).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
  });

  it('refuses `_service` hidden in an inline fragment', async () => {
    const response = await graphqlRequest(service.url, `{ ... on Query { s: _service { sdl } } }`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
  });
});

describe('an Organization reference shows what organization(id) shows', () => {
  it('hides an unapproved registration from residents on both paths; its registrant and staff see it on both', async () => {
    const asResident = await gql.asGateway<{ _entities: unknown[] }>(ENTITIES, reps(active, pending), resident);
    expect(asResident._entities).toEqual([expect.objectContaining({ id: active }), null]);
    expect(
      (await gql.data<{ organization: unknown }>(ORGANIZATION, { id: pending }, resident)).organization,
    ).toBeNull();

    for (const who of [leader, committee]) {
      const seen = await gql.asGateway<{ _entities: { status: string }[] }>(ENTITIES, reps(pending), who);
      expect(seen._entities).toEqual([{ id: pending, name: '待批准的组织', status: 'PENDING_APPROVAL' }]);
    }
  });

  it('answers null, not an internal error, for a reference that is not a UUID', async () => {
    const data = await gql.asGateway<{ _entities: unknown[] }>(ENTITIES, reps('not-a-uuid'), resident);
    expect(data._entities).toEqual([null]);
  });
});

describe('the gateway’s cost limit, applied by the subgraph itself', () => {
  const MEMBERS = (
    organizations: string,
    members: string,
    declare: boolean,
  ) => `query${declare ? '($n: Int, $m: Int)' : ''} {
    organizations(first: ${organizations}) { edges { node { name members(first: ${members}) {
      edges { node { role user { id } } } } } } } }`;

  it('lets 20 organizations with 10 members each through', async () => {
    const data = await gql.data<{ organizations: { edges: unknown[] } }>(
      MEMBERS('$n', '$m', true),
      { n: 20, m: 10 },
      resident,
    );
    expect(data.organizations.edges.length).toBeGreaterThan(0);
  });

  it.each([
    ['literals', MEMBERS('100', '100', false), {}],
    ['variables', MEMBERS('$n', '$m', true), { n: 100, m: 100 }],
  ])('refuses 100 organizations × 100 members given as %s', async (_how, query, variables) => {
    const response = await gql.request(query, variables, resident);
    expect(response.status).toBe(400);
    expect(gql.errorOf(response)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'QUERY_TOO_COSTLY' });
  });

  it('refuses a query nested past the depth limit', async () => {
    const deep = `{ organizations(filter: { communityId: "${TAOYUANJU.id}" }) { edges { node { members { edges { node {
      user { memberships { organization { members { edges { node { user { memberships { role } } } } } } } } } } } } } } }`;
    const response = await graphqlRequest(service.url, deep);
    expect(response.errors?.[0]?.extensions).toMatchObject({ reason: 'QUERY_TOO_DEEP' });
  });
});

describe('page cursors', () => {
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const LIST = `query($after: String) { organizations(first: 5, after: $after) { edges { node { id } } } }`;
  const MEMBERS = `query($id: ID!, $after: String) { organization(id: $id) { members(after: $after) { edges { cursor } } } }`;

  it.each([
    ['garbage', '@@@'],
    ['base64 JSON of the wrong shape', base64url({ name: 'x' })],
    ['wrong types', base64url([42, 42])],
    ['an id that is not a UUID', base64url(['桃源', 'not-a-uuid'])],
  ])('answers BAD_USER_INPUT on after for %s', async (_label, after) => {
    expect(gql.errorOf(await gql.request(LIST, { after }, resident))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(gql.errorOf(await gql.request(MEMBERS, { id: active, after }, leader))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});
