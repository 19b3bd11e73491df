import { ApolloServer } from '@apollo/server';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { measureOperation, queryLimitsPlugin, queryLimitViolation, type QueryLimitsConfig } from '../src';

/** The shape of the public schema's lists: paged connections, unpaged lists, a federated `_entities`. */
const schema = buildSchema(`
  type Query {
    communities: [Community!]!
    organizations(first: Int, after: String): OrganizationConnection!
    pointsLeaderboard(first: Int = 10): [Entry!]!
    _entities(representations: [String!]!): [Entity]!
  }
  union Entity = User | Organization
  type Community { id: ID! name: String! grids: [Grid!]! }
  type Grid { id: ID! name: String! leader: User households: [Household!]! }
  type Household { id: ID! building: String! room: String! }
  type Entry { rank: Int! user: User! }
  type OrganizationConnection { edges: [OrganizationEdge!]! pageInfo: PageInfo! }
  type OrganizationEdge { cursor: String! node: Organization! }
  type Organization { id: ID! name: String! leaders: [User!]! members(first: Int, after: String): MembershipConnection! }
  type MembershipConnection { edges: [MembershipEdge!]! pageInfo: PageInfo! }
  type MembershipEdge { cursor: String! node: Membership! }
  type Membership { role: String! user: User! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type User { id: ID! displayName: String! roles: [String!]! memberships: [Membership!]! }
`);

const LIMITS: QueryLimitsConfig = {
  MAX_DEPTH: 12,
  MAX_ALIASES: 15,
  MAX_COST: 5000,
  MAX_TOKENS: 2000,
  MAX_DIRECTIVES: 50,
};

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return measureOperation(schema, document, operation, variables);
}

function decision(query: string, variables: Record<string, unknown> = {}) {
  return queryLimitViolation(measure(query, variables), LIMITS)?.extensions.reason ?? 'ALLOWED';
}

const MEMBERS_OF_ORGANIZATIONS = (organizations: string, members: string) => `
  query($n: Int, $m: Int) {
    organizations(first: ${organizations}) {
      edges { node { id name members(first: ${members}) { edges { node { role user { id displayName } } } pageInfo { hasNextPage } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('cost', () => {
  it('lets 20 organizations with 10 members each and their users through (the calibration query)', () => {
    const { cost } = measure(MEMBERS_OF_ORGANIZATIONS('20', '10'));
    expect(cost).toBeLessThanOrEqual(LIMITS.MAX_COST);
    expect(decision(MEMBERS_OF_ORGANIZATIONS('20', '10'))).toBe('ALLOWED');
  });

  it.each([
    ['literal', MEMBERS_OF_ORGANIZATIONS('100', '100'), {}],
    ['variables', MEMBERS_OF_ORGANIZATIONS('$n', '$m'), { n: 100, m: 100 }],
  ])('refuses 100 × 100 members whether `first` is %s', (_how, query, variables) => {
    expect(decision(query, variables)).toBe('QUERY_TOO_COSTLY');
  });

  it('prices `first: $n` exactly as the literal', () => {
    expect(measure(MEMBERS_OF_ORGANIZATIONS('$n', '$m'), { n: 37, m: 3 }).cost).toBe(
      measure(MEMBERS_OF_ORGANIZATIONS('37', '3')).cost,
    );
  });

  it('prices an omitted page size as the default page (20), and an unset variable as the argument default', () => {
    expect(measure(`{ organizations { edges { node { id } } } }`).cost).toBe(
      measure(`{ organizations(first: 20) { edges { node { id } } } }`).cost,
    );
    expect(measure(`query($n: Int) { pointsLeaderboard(first: $n) { rank } }`).cost).toBe(
      measure(`{ pointsLeaderboard(first: 10) { rank } }`).cost,
    );
  });

  it('counts an unpaged list as its assumed size, not as one item', () => {
    // communities 5 × grids 10 × households 100: 5,000 households, 3 fields each.
    expect(decision(`{ communities { grids { households { id building room } } } }`)).toBe('QUERY_TOO_COSTLY');
    expect(decision(`{ communities { name grids { name leader { displayName } } } }`)).toBe('ALLOWED');
  });

  it('refuses the same allowed query multiplied by aliases', () => {
    const one = `organizations(first: 20) { edges { node { members(first: 10) { edges { node { user { id displayName } } } } } } }`;
    const aliased = `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: ${one}`).join(' ')} }`;
    expect(decision(aliased)).toBe('QUERY_TOO_COSTLY');
  });

  it('refuses nesting back through users and their memberships', () => {
    const nested = `{ organizations(first: 50) { edges { node { members(first: 50) { edges { node { user {
      memberships { user { memberships { role } } } } } } } } } } }`;
    expect(decision(nested)).toBe('QUERY_TOO_COSTLY');
  });

  it('prices `_entities` by the number of representations', () => {
    const query = `query($r: [String!]!) { _entities(representations: $r) { ... on User { id displayName } } }`;
    expect(measure(query, { r: ['a', 'b'] }).cost).toBe(1 + 2 * 2);
    expect(measure(query, { r: Array.from({ length: 3000 }, String) }).cost).toBeGreaterThan(LIMITS.MAX_COST);
  });

  it('measures fragments once however often they are spread, and still counts every spread', () => {
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on User { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : 'id'} }`,
    ).join('\n');
    const bomb = `{ communities { grids { leader { ...F0 } } } }\n${fragments}`;
    const result = measure(bomb);
    expect(result.cost).toBe(1 + 5 * (1 + 10 * (1 + 2 ** (levels - 1))));
    expect(decision(bomb)).toBe('QUERY_TOO_COSTLY');
  });
});

describe('depth, aliases and directives', () => {
  it('counts depth through fragments and inline fragments', () => {
    const query = `{ organizations { ...Deep } }
      fragment Deep on OrganizationConnection { edges { node { ... on Organization { members { edges { node {
        user { memberships { user { memberships { user { memberships { role } } } } } } } } } } } } }`;
    expect(measure(query).depth).toBe(13);
    expect(decision(query)).toBe('QUERY_TOO_DEEP');
  });

  it('counts aliases hidden in fragments', () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `n${i}: name`).join(' ');
    const query = `{ communities { ...C } } fragment C on Community { ${aliases} }`;
    expect(measure(query).aliases).toBe(16);
    expect(decision(query)).toBe('TOO_MANY_ALIASES');
  });

  it('counts directives', () => {
    const many = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
    expect(decision(`{ communities { name ${many} } }`)).toBe('TOO_MANY_DIRECTIVES');
  });

  it('leaves introspection out of depth and cost', () => {
    expect(measure(`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`)).toMatchObject({
      depth: 0,
      cost: 0,
    });
  });
});

describe('the plugin', () => {
  it('decides every request by its own variables, though a repeated operation is measured once', async () => {
    const server = new ApolloServer({ schema, plugins: [queryLimitsPlugin(LIMITS)] });
    await server.start();
    const refusal = async (variables: Record<string, unknown>) => {
      const response = await server.executeOperation({ query: MEMBERS_OF_ORGANIZATIONS('$n', '$m'), variables });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult.errors?.find((error) => error.extensions?.reason)?.extensions?.reason ?? null;
    };
    try {
      expect(await refusal({ n: 20, m: 10 })).toBeNull();
      expect(await refusal({ n: 100, m: 100 })).toBe('QUERY_TOO_COSTLY');
      expect(await refusal({ n: 20, m: 10 })).toBeNull();
      expect(await refusal({ n: 100, m: 100 })).toBe('QUERY_TOO_COSTLY');
    } finally {
      await server.stop();
    }
  });
});
