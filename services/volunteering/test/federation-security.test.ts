import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { publishedShift, startVolunteeringForTests, type VolunteeringUnderTest } from './support/start-volunteering';

/** Attacks on the volunteering subgraph reached directly, as anyone on its network can. */
let service: VolunteeringUnderTest;
let workerToken: string;
let residentToken: string;
let draftId: string;
let publishedId: string;

const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id status } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Opportunity { id title status } } }`;
const OPPORTUNITY = `query($id: ID!) { opportunity(id: $id) { id title status } }`;
const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'Opportunity', id })) });

beforeAll(async () => {
  service = await startVolunteeringForTests();
  workerToken = await service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
  residentToken = await service.token(randomUUID(), TAOYUANJU.id);
  const draft = await graphqlData<{ createOpportunity: { id: string } }>(
    service.url,
    CREATE,
    { input: { title: '尚未发布的草稿', description: '内部', category: 'ENVIRONMENT', location: '会议室' } },
    { token: workerToken },
  );
  draftId = draft.createOpportunity.id;
  publishedId = (await publishedShift(service.url, workerToken)).opportunityId;
});
afterAll(() => service?.stop());

describe('_entities and _service answer only the gateway', () => {
  it.each([
    ['plainly', ENTITIES],
    ['behind an alias', ENTITIES.replace('_entities(', 'opportunities: _entities(')],
    [
      'inside a fragment',
      `query($reps: [_Any!]!) { ...E } fragment E on Query { _entities(representations: $reps) { ... on Opportunity { title } } }`,
    ],
    [
      'inside an inline fragment',
      `query($reps: [_Any!]!) { ... on Query { x: _entities(representations: $reps) { __typename } } }`,
    ],
  ])('refuses `_entities` %s without the gateway credential', async (_how, query) => {
    const response = await graphqlRequest(service.url, query, reps(draftId), { token: residentToken });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
    expect(response.data ?? null).toBeNull();
  });

  it('refuses `_service { sdl }` without it, and serves it to the gateway', async () => {
    const refused = await graphqlRequest(service.url, `{ _service { sdl } }`);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'GATEWAY_ONLY' });
    const served = await graphqlData<{ _service: { sdl: string } }>(
      service.url,
      `{ _service { sdl } }`,
      {},
      { asGatewayTo: 'volunteering' },
    );
    expect(served._service.sdl).toContain('type Opportunity');
  });

  it('refuses a credential made out to another subgraph', async () => {
    const response = await graphqlRequest(service.url, ENTITIES, reps(publishedId), {
      token: residentToken,
      asGatewayTo: 'identity',
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ reason: 'GATEWAY_ONLY' });
  });
});

describe('an Opportunity reference shows what opportunity(id) shows', () => {
  it('hides a draft from a resident on both paths, and shows it to its organizer on both', async () => {
    const asResident = await graphqlData<{ _entities: ({ id: string } | null)[] }>(
      service.url,
      ENTITIES,
      reps(draftId, publishedId),
      { token: residentToken, asGatewayTo: 'volunteering' },
    );
    expect(asResident._entities).toEqual([null, expect.objectContaining({ id: publishedId, status: 'PUBLISHED' })]);
    const viaQuery = await graphqlData<{ opportunity: unknown }>(
      service.url,
      OPPORTUNITY,
      { id: draftId },
      { token: residentToken },
    );
    expect(viaQuery.opportunity).toBeNull();

    const asOrganizer = await graphqlData<{ _entities: ({ id: string; status: string } | null)[] }>(
      service.url,
      ENTITIES,
      reps(draftId),
      { token: workerToken, asGatewayTo: 'volunteering' },
    );
    expect(asOrganizer._entities).toEqual([{ id: draftId, title: '尚未发布的草稿', status: 'DRAFT' }]);
  });

  it('hides everything from another community and from anonymous callers', async () => {
    const outsider = await service.token(randomUUID(), randomUUID());
    for (const token of [outsider, undefined]) {
      const data = await graphqlData<{ _entities: unknown[] }>(service.url, ENTITIES, reps(publishedId), {
        token,
        asGatewayTo: 'volunteering',
      });
      expect(data._entities).toEqual([null]);
    }
  });

  it('answers null, not an internal error, for a reference that is not a UUID', async () => {
    const data = await graphqlData<{ _entities: unknown[] }>(service.url, ENTITIES, reps("x' OR 1=1 --"), {
      token: residentToken,
      asGatewayTo: 'volunteering',
    });
    expect(data._entities).toEqual([null]);
  });
});

describe('the gateway’s limits, applied by the subgraph itself', () => {
  const LIST = (
    first: string,
  ) => `query${first === '$n' ? '($n: Int)' : ''} { opportunities(first: ${first}) { edges { node {
    title shifts { startsAt signUps { status user { id } } } } } } }`;

  it.each([
    ['a literal', LIST('100'), {}],
    ['a variable', LIST('$n'), { n: 100 }],
  ])('refuses an oversized page with `first` as %s', async (_how, query, variables) => {
    const response = await graphqlRequest(service.url, query, variables, { token: residentToken });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'QUERY_TOO_COSTLY',
    });
  });

  it('lets a normal page through', async () => {
    const data = await graphqlData<{ opportunities: { edges: unknown[] } }>(
      service.url,
      LIST('$n'),
      { n: 10 },
      {
        token: workerToken,
      },
    );
    expect(data.opportunities.edges.length).toBeGreaterThan(0);
  });

  it('refuses alias floods and oversized documents', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: __typename`);
    const flood = await graphqlRequest(service.url, `{ ${aliases.join(' ')} }`, {}, { token: residentToken });
    expect(flood.errors?.[0]?.extensions).toMatchObject({ reason: 'TOO_MANY_ALIASES' });
    const tokens = await graphqlRequest(service.url, `{ ${'__typename '.repeat(2100)} }`);
    expect(tokens.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('page cursors', () => {
  const PAGE = `query($after: String) { opportunities(first: 5, after: $after) { edges { node { id } } } }`;
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it.each([
    ['garbage', '%%%not a cursor'],
    ['base64 JSON of the wrong shape', base64url({ id: publishedId })],
    ['wrong types', base64url(['yesterday', 42])],
    ['an id that is not a UUID', base64url([1_764_600_000_000, 'not-a-uuid'])],
    ['a time no date can hold', base64url([1e20, '6f1c2d3e-0000-4000-8002-000000000011'])],
  ])('answers BAD_USER_INPUT on after for %s', async (_label, after) => {
    const response = await graphqlRequest(service.url, PAGE, { after }, { token: residentToken });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
