import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { countStatements, graphqlData } from '@taoyuan/testing';
import {
  approvedOrganization,
  confirmResidence,
  markAttended,
  moveShiftToPast,
  publishedShift,
  startVolunteeringForTests,
  type VolunteeringUnderTest,
} from './support/start-volunteering';

/**
 * Every list this subgraph offers costs a fixed number of SQL statements, whatever the number of parent rows: the
 * per-row fields (shifts, occupancy, sign-ups, who may organize, points accounts, ledger and sign-up pages, hours,
 * an organization's opportunities) go through DataLoaders, paged child lists through one windowed statement.
 */
let service: VolunteeringUnderTest;
let workerToken: string;
let organizerToken: string;
const organizations: string[] = [];
const volunteers: { id: string; token: string }[] = [];
const PARENTS = 50;
/** The first few organizations host a second opportunity, and their volunteers sign up twice: a next page exists. */
const WITH_SECOND_PAGE = 3;

beforeAll(async () => {
  // The cost limit would refuse fifty opportunities with every nested list; what is measured here is SQL.
  service = await startVolunteeringForTests({ env: { MAX_COST: '1000000' } });
  workerToken = await service.token(randomUUID(), TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
  const organizer = randomUUID();
  organizerToken = await service.token(organizer, TAOYUANJU.id);
  const signUps: string[] = [];
  for (let index = 0; index < PARENTS; index += 1) {
    const organizationId = randomUUID();
    organizations.push(organizationId);
    await approvedOrganization(service.db, organizationId, TAOYUANJU.id);
    // The organizer is a backbone of every organization (projection of organizations' events), not staff.
    await service.db.query(
      `INSERT INTO organizer_memberships (membership_id, organization_id, user_id, community_id, role, active)
       VALUES ($1, $2, $3, $4, 'BACKBONE', true)`,
      [randomUUID(), organizationId, organizer, TAOYUANJU.id],
    );
    const volunteer = randomUUID();
    volunteers.push({ id: volunteer, token: await service.token(volunteer, TAOYUANJU.id) });
    if (index % 2 === 0) await confirmResidence(service.db, volunteer, TAOYUANJU.id);
  }
  for (let index = 0; index < PARENTS; index += 1) {
    const { shiftId } = await publishedShift(service.url, workerToken, {
      organizationId: organizations[index],
      title: `楼道清洁第${index + 1}期`,
      hours: 2,
    });
    signUps.push(await signUp(volunteers[index].token, shiftId));
    await moveShiftToPast(service.db, shiftId, 3);
  }
  for (const signUpId of signUps) {
    await markAttended(service.db, signUpId);
    await graphqlData(
      service.url,
      `mutation($id: ID!) { verifyAttendance(signUpId: $id, hours: 2) { id } }`,
      { id: signUpId },
      { token: workerToken },
    );
  }
  for (let index = 0; index < WITH_SECOND_PAGE; index += 1) {
    const { shiftId } = await publishedShift(service.url, workerToken, {
      organizationId: organizations[index],
      title: `长者探访第${index + 1}期`,
      category: 'ELDERLY_CARE',
    });
    await signUp(volunteers[index].token, shiftId);
  }
}, 240_000);
afterAll(() => service?.stop());

async function signUp(token: string, shiftId: string): Promise<string> {
  const data = await graphqlData<{ signUp: { id: string } }>(
    service.url,
    `mutation($shiftId: ID!) { signUp(shiftId: $shiftId) { id } }`,
    { shiftId },
    { token },
  );
  return data.signUp.id;
}

const statementsFor = <T>(work: () => Promise<T>) => countStatements(service.server.deps.queries, work);

const OPPORTUNITIES = `query($first: Int) {
  opportunities(first: $first) {
    edges { node { id title viewerCanOrganize organization { id } createdBy { id }
      shifts { id spotsLeft waitlistLength checkInCode opportunity { id }
        signUps { id status user { id } shift { id } attendance { hours pointsAwarded } } }
    } }
    pageInfo { hasNextPage }
  }
}`;

const ORGANIZATIONS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Organization { id opportunities(first: 1) {
      edges { node { id title shifts { spotsLeft } } } pageInfo { hasNextPage endCursor } } }
  }
}`;

const USERS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on User { id volunteerHours
      pointsAccount { balance tier residenceConfirmed nextTier pointsToNextTier
        entries(first: 1) { edges { node { delta kind causedBy { id } } } pageInfo { hasNextPage } } }
      signUps(first: 1) { edges { node { status shift { id opportunity { title } } attendance { pointsAwarded } } }
        pageInfo { hasNextPage } } }
  }
}`;

const LEADERBOARD = `query($communityId: ID!, $first: Int) {
  pointsLeaderboard(communityId: $communityId, period: ALL, first: $first) { rank points user { id } }
}`;

interface OpportunityNode {
  title: string;
  viewerCanOrganize: boolean;
  organization: { id: string };
  shifts: {
    spotsLeft: number;
    checkInCode: string | null;
    signUps: { status: string; user: { id: string }; attendance: { hours: number } | null }[];
  }[];
}

interface Page<Node> {
  edges: { node: Node }[];
  pageInfo: { hasNextPage: boolean };
}

interface UserNode {
  id: string;
  volunteerHours: number;
  pointsAccount: {
    balance: number;
    residenceConfirmed: boolean;
    nextTier: string | null;
    entries: Page<{ delta: number; kind: string; causedBy: { id: string } | null }>;
  };
  signUps: Page<{
    status: string;
    attendance: { pointsAwarded: number } | null;
    shift: { opportunity: { title: string } };
  }>;
}

describe('SQL statements do not grow with the list', () => {
  it('opportunities with shifts, occupancy, sign-ups and attendance, as a backbone organizer: the same at 5 and 50', async () => {
    type Data = { opportunities: Page<OpportunityNode> };
    const listOf = (first: number) =>
      statementsFor(() => graphqlData<Data>(service.url, OPPORTUNITIES, { first }, { token: organizerToken }));
    const five = await listOf(5);
    const fifty = await listOf(PARENTS);
    expect(five.result.opportunities.edges).toHaveLength(5);
    expect(fifty.result.opportunities.edges).toHaveLength(PARENTS);
    expect(fifty.result.opportunities.pageInfo.hasNextPage).toBe(true);
    const nodes = fifty.result.opportunities.edges.map((edge) => edge.node);
    expect(nodes.every((node) => node.viewerCanOrganize && node.shifts[0].checkInCode !== null)).toBe(true);
    const cleaning = nodes.find((node) => node.title === '楼道清洁第7期');
    expect(cleaning?.organization.id).toBe(organizations[6]);
    expect(cleaning?.shifts[0]).toMatchObject({ spotsLeft: 9 });
    expect(cleaning?.shifts[0].signUps).toEqual([
      expect.objectContaining({
        status: 'VERIFIED',
        user: { id: volunteers[6].id },
        attendance: { hours: 2, pointsAwarded: 20 },
      }),
    ]);
    expect(fifty.statements).toBe(five.statements);
  });

  it('organizations resolved for the gateway with a page of their opportunities: the same at 5 and 50', async () => {
    type Data = { _entities: { id: string; opportunities: Page<{ title: string }> }[] };
    const organizationsOf = (count: number) =>
      statementsFor(() =>
        graphqlData<Data>(
          service.url,
          ORGANIZATIONS,
          { reps: organizations.slice(0, count).map((id) => ({ __typename: 'Organization', id })) },
          { token: volunteers[0].token, asGatewayTo: 'volunteering' },
        ),
      );
    const five = await organizationsOf(5);
    const fifty = await organizationsOf(PARENTS);
    const entities = fifty.result._entities;
    expect(entities).toHaveLength(PARENTS);
    // Newest first: the second opportunity of an organization comes first, and the first is on the next page.
    expect(entities[0].opportunities.edges.map((edge) => edge.node.title)).toEqual(['长者探访第1期']);
    expect(entities[0].opportunities.pageInfo.hasNextPage).toBe(true);
    expect(entities[20].opportunities.edges.map((edge) => edge.node.title)).toEqual(['楼道清洁第21期']);
    expect(entities[20].opportunities.pageInfo.hasNextPage).toBe(false);
    expect(fifty.statements).toBe(five.statements);
  });

  it('users resolved for the gateway with points, ledger and sign-up pages and hours, for staff: the same at 5 and 50', async () => {
    type Data = { _entities: UserNode[] };
    const usersOf = (count: number) =>
      statementsFor(() =>
        graphqlData<Data>(
          service.url,
          USERS,
          { reps: volunteers.slice(0, count).map(({ id }) => ({ __typename: 'User', id })) },
          { token: workerToken, asGatewayTo: 'volunteering' },
        ),
      );
    const five = await usersOf(5);
    const fifty = await usersOf(PARENTS);
    const users = fifty.result._entities;
    expect(users).toHaveLength(PARENTS);
    expect(users.map((user) => user.id)).toEqual(volunteers.map((volunteer) => volunteer.id));
    expect(users.every((user) => user.volunteerHours === 2 && user.pointsAccount.balance === 20)).toBe(true);
    expect(users[10].pointsAccount).toMatchObject({ residenceConfirmed: true, nextTier: 'ACTIVIST' });
    expect(users[11].pointsAccount.residenceConfirmed).toBe(false);
    expect(users[10].pointsAccount.entries.edges.map((edge) => edge.node)).toEqual([
      { delta: 20, kind: 'EARNED_VOLUNTEERING', causedBy: expect.objectContaining({ id: expect.any(String) }) },
    ]);
    expect(users[10].pointsAccount.entries.pageInfo.hasNextPage).toBe(false);
    // Two sign-ups: the newer (not yet attended) on the first page of one, the verified one after it.
    expect(users[1].signUps.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({
        status: 'SIGNED_UP',
        attendance: null,
        shift: expect.objectContaining({ opportunity: { title: '长者探访第2期' } }),
      }),
    ]);
    expect(users[1].signUps.pageInfo.hasNextPage).toBe(true);
    expect(users[30].signUps.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ status: 'VERIFIED', attendance: { pointsAwarded: 20 } }),
    ]);
    expect(users[30].signUps.pageInfo.hasNextPage).toBe(false);
    expect(fifty.statements).toBe(five.statements);
  });

  it('the points leaderboard: the same at 5 and 50', async () => {
    type Data = { pointsLeaderboard: { rank: number; points: number; user: { id: string } }[] };
    const topOf = (first: number) =>
      statementsFor(() =>
        graphqlData<Data>(service.url, LEADERBOARD, { communityId: TAOYUANJU.id, first }, { token: workerToken }),
      );
    const five = await topOf(5);
    const fifty = await topOf(PARENTS);
    expect(fifty.result.pointsLeaderboard).toHaveLength(PARENTS);
    expect(fifty.result.pointsLeaderboard.every((entry) => entry.rank === 1 && entry.points === 20)).toBe(true);
    expect(fifty.statements).toBe(five.statements);
  });
});
