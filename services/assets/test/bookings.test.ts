import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { graphqlData, graphqlRequest } from '@taoyuan/testing';
import { createFacility, shanghai, startAssetsForTests, type AssetsUnderTest } from './support/start-assets';

let service: AssetsUnderTest;
let staff: { id: string; token: string };
let facilityId: string;

const BOOK = `mutation($input: BookFacilityInput!) { bookFacility(input: $input) { id status feeFen startsAt endsAt } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelBooking(bookingId: $id, reason: $reason) { id status cancelReason } }`;
const APPROVE = `mutation($id: ID!) { approveBooking(bookingId: $id) { id status } }`;
const PAID = `mutation($id: ID!, $ref: String!) { markBookingPaid(bookingId: $id, paymentReference: $ref) { id paidAt } }`;
const AVAILABILITY = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { facilityAvailability(facilityId: $id, from: $from, to: $to) { startsAt endsAt } }`;

async function resident(roles: ('RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE')[] = ['RESIDENT']) {
  const id = randomUUID();
  return { id, token: await service.token(id, TAOYUANJU.id, roles) };
}

function input(startsAt: Date, endsAt: Date, extra: Record<string, unknown> = {}) {
  return { facilityId, startsAt, endsAt, purpose: '长者合唱团排练', attendees: 12, ...extra };
}

beforeAll(async () => {
  service = await startAssetsForTests();
  staff = await resident(['RESIDENT', 'COMMUNITY_WORKER']);
  facilityId = await createFacility(service.url, staff.token);
});
afterAll(() => service?.stop());

describe('booking a facility', () => {
  it('of 20 concurrent requests for one slot exactly one is CONFIRMED and 19 get CONFLICT', async () => {
    const people = await Promise.all(Array.from({ length: 20 }, () => resident()));
    const results = await Promise.all(
      people.map((person) =>
        graphqlRequest<{ bookFacility: { status: string } }>(
          service.url,
          BOOK,
          { input: input(shanghai(2, 9), shanghai(2, 11)) },
          { token: person.token },
        ),
      ),
    );
    const confirmed = results.filter((result) => result.data?.bookFacility.status === 'CONFIRMED');
    const conflicts = results.filter((result) => result.errors?.[0]?.extensions?.code === 'CONFLICT');
    expect(confirmed).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    expect(conflicts.every((result) => result.errors?.[0]?.extensions?.reason === 'SLOT_TAKEN')).toBe(true);
    const [{ active }] = await service.db.query(
      `SELECT count(*)::int AS active FROM bookings WHERE facility_id = $1 AND status IN ('CONFIRMED','PENDING_APPROVAL')`,
      [facilityId],
    );
    expect(active).toBe(1);
  });

  it('back-to-back bookings both succeed; an overlap by one minute does not', async () => {
    const first = await resident();
    const second = await resident();
    const a = await graphqlData<{ bookFacility: { status: string; feeFen: number } }>(
      service.url,
      BOOK,
      { input: input(shanghai(3, 14), shanghai(3, 15, 30)) },
      { token: first.token },
    );
    const b = await graphqlData<{ bookFacility: { status: string } }>(
      service.url,
      BOOK,
      { input: input(shanghai(3, 15, 30), shanghai(3, 17)) },
      { token: second.token },
    );
    expect([a.bookFacility.status, b.bookFacility.status]).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(a.bookFacility.feeFen).toBe(3000); // 1.5 hours at 20 元
    const overlap = await graphqlRequest(
      service.url,
      BOOK,
      { input: input(shanghai(3, 16, 59), shanghai(3, 18)) },
      { token: (await resident()).token },
    );
    expect(overlap.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'SLOT_TAKEN' });
  });

  it('outside opening hours, too long, too far ahead or too many people → BAD_USER_INPUT with the field', async () => {
    const person = await resident();
    const cases: [Date, Date, Record<string, unknown>, string][] = [
      [shanghai(4, 7), shanghai(4, 9), {}, 'startsAt'],
      [shanghai(4, 21), shanghai(4, 22, 30), {}, 'startsAt'],
      [shanghai(4, 9), shanghai(4, 14), {}, 'endsAt'],
      [shanghai(60, 9), shanghai(60, 10), {}, 'startsAt'],
      [shanghai(4, 9), shanghai(4, 10), { attendees: 41 }, 'attendees'],
      [shanghai(4, 10), shanghai(4, 9), {}, 'endsAt'],
    ];
    for (const [startsAt, endsAt, extra, field] of cases) {
      const result = await graphqlRequest(
        service.url,
        BOOK,
        { input: input(startsAt, endsAt, extra) },
        { token: person.token },
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('more people than the rule allows waits for staff; pending holds the slot; staff approve', async () => {
    const person = await resident();
    const { bookFacility } = await graphqlData<{ bookFacility: { id: string; status: string } }>(
      service.url,
      BOOK,
      { input: input(shanghai(5, 9), shanghai(5, 11), { attendees: 35, purpose: '社区春晚彩排' }) },
      { token: person.token },
    );
    expect(bookFacility.status).toBe('PENDING_APPROVAL');
    const meanwhile = await graphqlRequest(
      service.url,
      BOOK,
      { input: input(shanghai(5, 10), shanghai(5, 12)) },
      { token: (await resident()).token },
    );
    expect(meanwhile.errors?.[0]?.extensions?.reason).toBe('SLOT_TAKEN');
    const byResident = await graphqlRequest(service.url, APPROVE, { id: bookFacility.id }, { token: person.token });
    expect(byResident.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'STAFF_ONLY' });
    const approved = await graphqlData<{ approveBooking: { status: string } }>(
      service.url,
      APPROVE,
      { id: bookFacility.id },
      { token: staff.token },
    );
    expect(approved.approveBooking.status).toBe('CONFIRMED');
  });

  it('availability is the opening hours minus active bookings', async () => {
    const person = await resident();
    await graphqlData(service.url, BOOK, { input: input(shanghai(6, 10), shanghai(6, 12)) }, { token: person.token });
    const { facilityAvailability } = await graphqlData<{
      facilityAvailability: { startsAt: string; endsAt: string }[];
    }>(service.url, AVAILABILITY, { id: facilityId, from: shanghai(6, 0), to: shanghai(7, 0) });
    expect(facilityAvailability.map((slot) => [new Date(slot.startsAt), new Date(slot.endsAt)])).toEqual([
      [shanghai(6, 8), shanghai(6, 10)],
      [shanghai(6, 12), shanghai(6, 22)],
    ]);
  });

  it('a paid booking is PUBLIC_WELFARE income; cancelling it writes the reversing entry and frees the slot', async () => {
    const person = await resident();
    const { bookFacility } = await graphqlData<{ bookFacility: { id: string; feeFen: number } }>(
      service.url,
      BOOK,
      { input: input(shanghai(7, 18), shanghai(7, 20), { purpose: '生日聚会' }) },
      { token: person.token },
    );
    expect(bookFacility.feeFen).toBe(4000);
    const notStaff = await graphqlRequest(
      service.url,
      PAID,
      { id: bookFacility.id, ref: 'WX-1' },
      { token: person.token },
    );
    expect(notStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await graphqlData(service.url, PAID, { id: bookFacility.id, ref: '微信支付-20261201-01' }, { token: staff.token });
    const twice = await graphqlRequest(
      service.url,
      PAID,
      { id: bookFacility.id, ref: 'again' },
      { token: staff.token },
    );
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_PAID' });
    const cancelled = await graphqlData<{ cancelBooking: { status: string } }>(
      service.url,
      CANCEL,
      { id: bookFacility.id },
      { token: person.token },
    );
    expect(cancelled.cancelBooking.status).toBe('CANCELLED');
    const entries = await service.db.query(
      `SELECT e.direction, e.category, e.amount_fen::int AS amount, f.kind, f.balance_fen::int AS balance
         FROM ledger_entries e JOIN funds f ON f.id = e.fund_id
        WHERE e.source_id = $1 OR e.reverses_entry_id IN (SELECT id FROM ledger_entries WHERE source_id = $1)
        ORDER BY e.recorded_at`,
      [bookFacility.id],
    );
    expect(entries).toEqual([
      { direction: 'IN', category: 'FACILITY_FEE', amount: 4000, kind: 'PUBLIC_WELFARE', balance: 0 },
      { direction: 'OUT', category: 'REVERSAL', amount: 4000, kind: 'PUBLIC_WELFARE', balance: 0 },
    ]);
    const [event] = await service.db.query(
      `SELECT payload FROM outbox WHERE topic = 'taoyuan.assets.booking.cancelled.v1' AND payload->>'bookingId' = $1`,
      [bookFacility.id],
    );
    expect(event.payload).toMatchObject({ refundedFen: 4000, reason: 'CANCELLED_BY_BOOKER' });
    const again = await graphqlData<{ bookFacility: { status: string } }>(
      service.url,
      BOOK,
      { input: input(shanghai(7, 18), shanghai(7, 20)) },
      { token: (await resident()).token },
    );
    expect(again.bookFacility.status).toBe('CONFIRMED');
  });

  it('someone else may not cancel a resident’s booking; staff may, with a reason; an organization books free', async () => {
    const person = await resident();
    const { bookFacility } = await graphqlData<{ bookFacility: { id: string } }>(
      service.url,
      BOOK,
      { input: input(shanghai(8, 9), shanghai(8, 10)) },
      { token: person.token },
    );
    const stranger = await graphqlRequest(
      service.url,
      CANCEL,
      { id: bookFacility.id },
      { token: (await resident()).token },
    );
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOURS' });
    const noReason = await graphqlRequest(service.url, CANCEL, { id: bookFacility.id }, { token: staff.token });
    expect(noReason.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const byStaff = await graphqlData<{ cancelBooking: { cancelReason: string } }>(
      service.url,
      CANCEL,
      { id: bookFacility.id, reason: '场地维修' },
      { token: staff.token },
    );
    expect(byStaff.cancelBooking.cancelReason).toBe('场地维修');

    const organizationId = randomUUID();
    const backbone = await resident();
    const forOrganization = {
      input: input(shanghai(8, 14), shanghai(8, 16), { organizationId, purpose: '四点半课堂' }),
    };
    const notYet = await graphqlRequest(service.url, BOOK, forOrganization, { token: backbone.token });
    expect(notYet.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ORGANIZATION_BACKBONE' });
    await service.db.query(
      `INSERT INTO organization_members (membership_id, organization_id, user_id, community_id, role, active, membership_version)
       VALUES ($1, $2, $3, $4, 'BACKBONE', true, 2)`,
      [randomUUID(), organizationId, backbone.id, TAOYUANJU.id],
    );
    const free = await graphqlData<{ bookFacility: { status: string; feeFen: number } }>(
      service.url,
      BOOK,
      forOrganization,
      {
        token: backbone.token,
      },
    );
    expect(free.bookFacility).toMatchObject({ status: 'CONFIRMED', feeFen: 0 });
  });
});
