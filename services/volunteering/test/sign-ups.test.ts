import { randomUUID } from 'node:crypto';
import { DEMO_COMMUNITIES, DEMO_ORGANIZATIONS, TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import {
  approvedOrganization,
  moveShiftToPast,
  publishedShift,
  startVolunteeringForTests,
  type VolunteeringUnderTest,
} from './support/start-volunteering';

let service: VolunteeringUnderTest;
let workerToken: string;
const WORKER = randomUUID();

const resident = async (communityId: string = TAOYUANJU.id) => {
  const id = randomUUID();
  return { id, token: await service.token(id, communityId) };
};

const SIGN_UP = `mutation($shiftId: ID!) { signUp(shiftId: $shiftId) { id status waitlistPosition } }`;
const CANCEL_SIGN_UP = `mutation($id: ID!) { cancelSignUp(signUpId: $id) { id status } }`;
const CHECK_IN = `mutation($id: ID!, $code: String!) { checkIn(signUpId: $id, code: $code) { id status checkedInAt } }`;
const CHECK_OUT = `mutation($id: ID!) { checkOut(signUpId: $id) { id status } }`;
const SHIFT_OF = `query($id: ID!) { opportunity(id: $id) { status shifts { id capacity spotsLeft waitlistLength checkInCode } } }`;

beforeAll(async () => {
  service = await startVolunteeringForTests();
  workerToken = await service.token(WORKER, TAOYUANJU.id, ['RESIDENT', 'COMMUNITY_WORKER']);
  for (const organization of DEMO_ORGANIZATIONS) await approvedOrganization(service.db, organization.id, TAOYUANJU.id);
});
afterAll(() => service?.stop());

describe('opportunities', () => {
  it('a community worker creates a draft, adds a shift and publishes it, with an outbox event', async () => {
    const { opportunityId } = await publishedShift(service.url, workerToken, { capacity: 3 });
    const volunteer = await resident();
    const data = await graphqlData<{
      opportunity: { status: string; shifts: { spotsLeft: number; checkInCode: string | null }[] };
    }>(service.url, SHIFT_OF, { id: opportunityId }, { token: volunteer.token });
    expect(data.opportunity.status).toBe('PUBLISHED');
    expect(data.opportunity.shifts[0]).toMatchObject({ spotsLeft: 3, checkInCode: null });
    const events = await service.db.query(`SELECT topic, payload FROM outbox WHERE message_key = $1`, [opportunityId]);
    expect(events).toEqual([
      expect.objectContaining({
        topic: 'taoyuan.volunteering.opportunity.published.v1',
        payload: expect.objectContaining({ opportunityId, communityId: TAOYUANJU.id, category: 'ENVIRONMENT' }),
      }),
    ]);
  });

  it('a resident may not create one; a backbone of the host organization may, per the membership projection', async () => {
    const volunteer = await resident();
    const input = { title: '独居长者探访', description: '', category: 'ELDERLY_CARE', location: '党群服务中心' };
    const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id viewerCanOrganize } }`;
    const denied = await graphqlRequest(service.url, CREATE, { input }, { token: volunteer.token });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const organizationId = DEMO_ORGANIZATIONS[1].id;
    const hosted = { input: { ...input, organizationId } };
    expect(
      (await graphqlRequest(service.url, CREATE, hosted, { token: volunteer.token })).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    await service.db.query(
      `INSERT INTO organizer_memberships (membership_id, organization_id, user_id, community_id, role, active)
       VALUES ($1, $2, $3, $4, 'BACKBONE', true)`,
      [randomUUID(), organizationId, volunteer.id, TAOYUANJU.id],
    );
    const created = await graphqlData<{ createOpportunity: { viewerCanOrganize: boolean } }>(
      service.url,
      CREATE,
      hosted,
      { token: volunteer.token },
    );
    expect(created.createOpportunity.viewerCanOrganize).toBe(true);
  });

  it('rejects bad input with BAD_USER_INPUT and the field, and unknown ids with NOT_FOUND', async () => {
    const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`;
    const tooLong = await graphqlRequest(
      service.url,
      CREATE,
      { input: { title: '长'.repeat(81), description: '', category: 'OTHER', location: '广场' } },
      { token: workerToken },
    );
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });
    const { opportunityId } = await publishedShift(service.url, workerToken);
    const ADD = `mutation($id: ID!, $input: AddShiftInput!) { addShift(opportunityId: $id, input: $input) { id } }`;
    const past = await graphqlRequest(
      service.url,
      ADD,
      { id: opportunityId, input: { startsAt: new Date(Date.now() - 3600_000), endsAt: new Date(), capacity: 5 } },
      { token: workerToken },
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'startsAt' });
    const start = Date.now() + 3600_000;
    const badZone = await graphqlRequest(
      service.url,
      ADD,
      {
        id: opportunityId,
        input: { startsAt: new Date(start), endsAt: new Date(start + 3600_000), capacity: 5, timeZone: 'Mars/Olympus' },
      },
      { token: workerToken },
    );
    expect(badZone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    const unknown = await graphqlRequest(
      service.url,
      SIGN_UP,
      { shiftId: randomUUID() },
      { token: (await resident()).token },
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const malformed = await graphqlRequest(service.url, SIGN_UP, { shiftId: 'x' }, { token: workerToken });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shiftId' });
    const anonymous = await graphqlRequest(service.url, SIGN_UP, { shiftId: randomUUID() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify([tooLong, past, badZone, unknown, malformed, anonymous])).not.toMatch(/stacktrace|at .*\.ts/);
  });

  it('lists published opportunities of the caller’s community newest first, page by page, with filters', async () => {
    const chongqingWorker = await service.token(randomUUID(), DEMO_COMMUNITIES[1].id, ['RESIDENT', 'COMMUNITY_WORKER']);
    const mine: string[] = [];
    for (let i = 0; i < 3; i += 1)
      mine.push(
        (await publishedShift(service.url, chongqingWorker, { category: 'CULTURE', capacity: 1 })).opportunityId,
      );
    const LIST = `query($filter: OpportunityFilter, $first: Int, $after: String) {
      opportunities(filter: $filter, first: $first, after: $after) {
        edges { cursor node { id communityId } } pageInfo { hasNextPage endCursor } } }`;
    const viewer = (await resident(DEMO_COMMUNITIES[1].id)).token;
    type Page = {
      opportunities: {
        edges: { node: { id: string; communityId: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await graphqlData<Page>(
      service.url,
      LIST,
      { filter: { category: 'CULTURE' }, first: 2 },
      { token: viewer },
    );
    expect(first.opportunities.edges.map((edge) => edge.node.id)).toEqual([mine[2], mine[1]]);
    expect(first.opportunities.pageInfo.hasNextPage).toBe(true);
    const second = await graphqlData<Page>(
      service.url,
      LIST,
      { filter: { category: 'CULTURE' }, first: 2, after: first.opportunities.pageInfo.endCursor },
      { token: viewer },
    );
    expect(second.opportunities.edges.map((edge) => edge.node.id)).toEqual([mine[0]]);
    expect(second.opportunities.pageInfo.hasNextPage).toBe(false);
    // Another community's residents never see them.
    const taoyuan = await graphqlData<Page>(
      service.url,
      LIST,
      { filter: { category: 'CULTURE' } },
      { token: workerToken },
    );
    expect(taoyuan.opportunities.edges).toEqual([]);
    // hasSpots: the one-place shift is full after one sign-up.
    const fullOne = await graphqlData<{ opportunity: { shifts: { id: string }[] } }>(
      service.url,
      `query($id: ID!) { opportunity(id: $id) { shifts { id } } }`,
      { id: mine[0] },
      { token: viewer },
    );
    await graphqlData(service.url, SIGN_UP, { shiftId: fullOne.opportunity.shifts[0].id }, { token: viewer });
    const withSpots = await graphqlData<Page>(
      service.url,
      LIST,
      { filter: { category: 'CULTURE', hasSpots: true } },
      { token: viewer },
    );
    expect(withSpots.opportunities.edges.map((edge) => edge.node.id)).toEqual([mine[2], mine[1]]);
    const full = await graphqlData<Page>(
      service.url,
      LIST,
      { filter: { category: 'CULTURE', hasSpots: false } },
      { token: viewer },
    );
    expect(full.opportunities.edges.map((edge) => edge.node.id)).toEqual([mine[0]]);
  });

  it('resolves many Opportunity references with one SQL query', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await publishedShift(service.url, workerToken)).opportunityId);
    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Opportunity { id title } } }`;
    const { result, queries } = await service.server.deps.queries.record(() =>
      graphqlData<{ _entities: { id: string }[] }>(
        service.url,
        ENTITIES,
        { reps: ids.map((id) => ({ __typename: 'Opportunity', id })) },
        { token: workerToken, asGatewayTo: 'volunteering' },
      ),
    );
    expect(result._entities.map((entity) => entity.id)).toEqual(ids);
    expect(queries).toHaveLength(1);
  });
});

describe('sign-ups', () => {
  it('20 residents signing up at once for 5 places: exactly 5 SIGNED_UP, 15 WAITLISTED in arrival order', async () => {
    const { opportunityId, shiftId } = await publishedShift(service.url, workerToken, { capacity: 5 });
    const residents = await Promise.all(Array.from({ length: 20 }, () => resident()));
    const results = await Promise.all(
      residents.map((volunteer) =>
        graphqlData<{ signUp: { id: string; status: string; waitlistPosition: number | null } }>(
          service.url,
          SIGN_UP,
          { shiftId },
          { token: volunteer.token },
        ),
      ),
    );
    const statuses = results.map((result) => result.signUp.status);
    expect(statuses.filter((status) => status === 'SIGNED_UP')).toHaveLength(5);
    expect(statuses.filter((status) => status === 'WAITLISTED')).toHaveLength(15);
    // Arrival order = the order the shift lock granted: sign-up times rise with waitlist position, after every place.
    const rows: { id: string; status: string; waitlist_position: number | null; signed_up_at: Date }[] =
      await service.db.query(`SELECT id, status, waitlist_position, signed_up_at FROM sign_ups WHERE shift_id = $1`, [
        shiftId,
      ]);
    const waitlisted = rows
      .filter((row) => row.status === 'WAITLISTED')
      .sort((a, b) => a.waitlist_position! - b.waitlist_position!);
    expect(waitlisted.map((row) => row.waitlist_position)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const lastPlace = Math.max(
      ...rows.filter((row) => row.status === 'SIGNED_UP').map((row) => row.signed_up_at.getTime()),
    );
    expect(waitlisted[0].signed_up_at.getTime()).toBeGreaterThanOrEqual(lastPlace);
    for (let i = 1; i < waitlisted.length; i += 1)
      expect(waitlisted[i].signed_up_at.getTime()).toBeGreaterThanOrEqual(waitlisted[i - 1].signed_up_at.getTime());

    const shift = await graphqlData<{ opportunity: { shifts: { spotsLeft: number; waitlistLength: number }[] } }>(
      service.url,
      SHIFT_OF,
      { id: opportunityId },
      { token: workerToken },
    );
    expect(shift.opportunity.shifts[0]).toMatchObject({ spotsLeft: 0, waitlistLength: 15 });

    // A cancellation gives the place to waitlist position 1; everyone behind moves up.
    const placed = results.find((result) => result.signUp.status === 'SIGNED_UP')!;
    const canceller = residents[results.indexOf(placed)];
    const cancelled = await graphqlData<{ cancelSignUp: { status: string } }>(
      service.url,
      CANCEL_SIGN_UP,
      { id: placed.signUp.id },
      { token: canceller.token },
    );
    expect(cancelled.cancelSignUp.status).toBe('CANCELLED');
    const after: { id: string; status: string; waitlist_position: number | null }[] = await service.db.query(
      `SELECT id, status, waitlist_position FROM sign_ups WHERE shift_id = $1`,
      [shiftId],
    );
    const byId = new Map(after.map((row) => [row.id, row]));
    expect(byId.get(waitlisted[0].id)).toMatchObject({ status: 'SIGNED_UP', waitlist_position: null });
    expect(byId.get(waitlisted[1].id)).toMatchObject({ status: 'WAITLISTED', waitlist_position: 1 });
    expect(after.filter((row) => row.status === 'SIGNED_UP')).toHaveLength(5);
    const outbox = await service.db.query<{ payload: { signUpId: string; reason: string } }[]>(
      `SELECT payload FROM outbox WHERE topic = 'taoyuan.volunteering.signup.cancelled.v1'`,
    );
    expect(outbox.map((row) => row.payload)).toContainEqual(
      expect.objectContaining({ signUpId: placed.signUp.id, reason: 'VOLUNTEER_CANCELLED' }),
    );
    // Each place taken is announced once, to its volunteer: five at sign-up, one moved up from the waitlist.
    const confirmed = await service.db.query<
      { message_key: string; payload: { signUpId: string; fromWaitlist: boolean; confirmedAt: string } }[]
    >(
      `SELECT message_key, payload FROM outbox WHERE topic = 'taoyuan.volunteering.signup.confirmed.v1' AND payload->>'shiftId' = $1`,
      [shiftId],
    );
    expect(confirmed).toHaveLength(6);
    const placedAtSignUp = rows.filter((row) => row.status === 'SIGNED_UP').map((row) => row.id);
    expect(
      confirmed
        .filter((row) => !row.payload.fromWaitlist)
        .map((row) => row.payload.signUpId)
        .sort(),
    ).toEqual(placedAtSignUp.sort());
    // Confirmed at the moment the place was given, in the event's ISO form.
    for (const row of confirmed.filter((one) => !one.payload.fromWaitlist)) {
      const signUp = rows.find((one) => one.id === row.payload.signUpId)!;
      expect(row.payload.confirmedAt).toBe(signUp.signed_up_at.toISOString());
    }
    const movedUp = confirmed.filter((row) => row.payload.fromWaitlist);
    expect(movedUp.map((row) => row.payload.signUpId)).toEqual([waitlisted[0].id]);
    expect(movedUp[0].message_key).toBe(residents[results.findIndex((r) => r.signUp.id === waitlisted[0].id)].id);
  });

  it('refuses signing up twice, for an overlapping shift, after the start, and in another community', async () => {
    const volunteer = await resident();
    const first = await publishedShift(service.url, workerToken, { startsInMinutes: 3 * 24 * 60, hours: 3 });
    const overlapping = await publishedShift(service.url, workerToken, { startsInMinutes: 3 * 24 * 60 + 60, hours: 3 });
    await graphqlData(service.url, SIGN_UP, { shiftId: first.shiftId }, { token: volunteer.token });
    const twice = await graphqlRequest(service.url, SIGN_UP, { shiftId: first.shiftId }, { token: volunteer.token });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const overlap = await graphqlRequest(
      service.url,
      SIGN_UP,
      { shiftId: overlapping.shiftId },
      { token: volunteer.token },
    );
    expect(overlap.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(overlap.errors?.[0]?.message).toMatch(/overlapping/);

    const started = await publishedShift(service.url, workerToken);
    await moveShiftToPast(service.db, started.shiftId, 0.5);
    const late = await graphqlRequest(service.url, SIGN_UP, { shiftId: started.shiftId }, { token: volunteer.token });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const foreigner = await resident(DEMO_COMMUNITIES[1].id);
    const foreign = await graphqlRequest(service.url, SIGN_UP, { shiftId: first.shiftId }, { token: foreigner.token });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const count = await service.db.query(`SELECT count(*)::int AS n FROM sign_ups WHERE user_id = $1`, [volunteer.id]);
    expect(count[0].n).toBe(1);
  });

  it('checks in with the shift’s code only, then checks out', async () => {
    const volunteer = await resident();
    const { shiftId, checkInCode } = await publishedShift(service.url, workerToken, { startsInMinutes: 10 });
    const { signUp } = await graphqlData<{ signUp: { id: string } }>(
      service.url,
      SIGN_UP,
      { shiftId },
      { token: volunteer.token },
    );
    const wrongCode = checkInCode === '000000' ? '111111' : '000000';
    const wrong = await graphqlRequest(
      service.url,
      CHECK_IN,
      { id: signUp.id, code: wrongCode },
      { token: volunteer.token },
    );
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const someoneElse = await graphqlRequest(
      service.url,
      CHECK_IN,
      { id: signUp.id, code: checkInCode },
      { token: workerToken },
    );
    expect(someoneElse.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const checkedIn = await graphqlData<{ checkIn: { status: string } }>(
      service.url,
      CHECK_IN,
      { id: signUp.id, code: checkInCode },
      { token: volunteer.token },
    );
    expect(checkedIn.checkIn.status).toBe('CHECKED_IN');
    const out = await graphqlData<{ checkOut: { status: string } }>(
      service.url,
      CHECK_OUT,
      { id: signUp.id },
      { token: volunteer.token },
    );
    expect(out.checkOut.status).toBe('CHECKED_OUT');
    const again = await graphqlRequest(service.url, CHECK_OUT, { id: signUp.id }, { token: volunteer.token });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('cancelling an opportunity cancels its waiting sign-ups and notifies each volunteer', async () => {
    const { opportunityId, shiftId } = await publishedShift(service.url, workerToken, { capacity: 1 });
    const volunteers = [await resident(), await resident()];
    for (const volunteer of volunteers)
      await graphqlData(service.url, SIGN_UP, { shiftId }, { token: volunteer.token });
    const CANCEL = `mutation($id: ID!) { cancelOpportunity(id: $id) { status } }`;
    const denied = await graphqlRequest(service.url, CANCEL, { id: opportunityId }, { token: volunteers[0].token });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cancelled = await graphqlData<{ cancelOpportunity: { status: string } }>(
      service.url,
      CANCEL,
      { id: opportunityId },
      { token: workerToken },
    );
    expect(cancelled.cancelOpportunity.status).toBe('CANCELLED');
    const statuses = await service.db.query(`SELECT status, cancel_reason FROM sign_ups WHERE shift_id = $1`, [
      shiftId,
    ]);
    expect(statuses).toEqual([
      { status: 'CANCELLED', cancel_reason: 'OPPORTUNITY_CANCELLED' },
      { status: 'CANCELLED', cancel_reason: 'OPPORTUNITY_CANCELLED' },
    ]);
    const events: { message_key: string; payload: { reason: string; opportunityId: string } }[] =
      await service.db.query(
        `SELECT message_key, payload FROM outbox WHERE topic = 'taoyuan.volunteering.signup.cancelled.v1' AND payload->>'opportunityId' = $1`,
        [opportunityId],
      );
    expect(events.map((event) => event.message_key).sort()).toEqual(volunteers.map((volunteer) => volunteer.id).sort());
    expect(events.every((event) => event.payload.reason === 'OPPORTUNITY_CANCELLED')).toBe(true);
    const late = await graphqlRequest(service.url, SIGN_UP, { shiftId }, { token: (await resident()).token });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('shows a volunteer their own sign-ups, filtered by status, and nobody else’s', async () => {
    const volunteer = await resident();
    const a = await publishedShift(service.url, workerToken, { startsInMinutes: 5 * 24 * 60 });
    const b = await publishedShift(service.url, workerToken, { startsInMinutes: 6 * 24 * 60 });
    await graphqlData(service.url, SIGN_UP, { shiftId: a.shiftId }, { token: volunteer.token });
    const second = await graphqlData<{ signUp: { id: string } }>(
      service.url,
      SIGN_UP,
      { shiftId: b.shiftId },
      { token: volunteer.token },
    );
    await graphqlData(service.url, CANCEL_SIGN_UP, { id: second.signUp.id }, { token: volunteer.token });
    const SIGN_UPS = `query($reps: [_Any!]!, $status: SignUpStatus) { _entities(representations: $reps) {
      ... on User { signUps(status: $status) { edges { node { status shift { id } } } } } } }`;
    type Result = { _entities: { signUps: { edges: { node: { status: string; shift: { id: string } } }[] } }[] };
    const reps = [{ __typename: 'User', id: volunteer.id }];
    const all = await graphqlData<Result>(
      service.url,
      SIGN_UPS,
      { reps },
      { token: volunteer.token, asGatewayTo: 'volunteering' },
    );
    expect(all._entities[0].signUps.edges.map((edge) => edge.node.status)).toEqual(['CANCELLED', 'SIGNED_UP']);
    const active = await graphqlData<Result>(
      service.url,
      SIGN_UPS,
      { reps, status: 'SIGNED_UP' },
      { token: volunteer.token, asGatewayTo: 'volunteering' },
    );
    expect(active._entities[0].signUps.edges.map((edge) => edge.node.shift.id)).toEqual([a.shiftId]);
    const nosy = await graphqlRequest(
      service.url,
      SIGN_UPS,
      { reps },
      { token: (await resident()).token, asGatewayTo: 'volunteering' },
    );
    expect(nosy.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
