import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { AttendanceVerified, ConsentGranted, ConsentRevoked, PartnerClientRevoked } from '@taoyuan/events';
import { graphqlData, graphqlRequest, waitFor } from '@taoyuan/testing';
import { Webhook } from 'standardwebhooks';
import {
  startPartnersForTests,
  startReceiver,
  type PartnersUnderTest,
  type TestReceiver,
} from './support/start-partners';

let partners: PartnersUnderTest;
let receiver: TestReceiver;
let bureau: { clientId: string; token: string };
let secret: string;
let consentVersion = 0;

const RECORD = 'volunteer-record.verified';

function attendance(userId: string) {
  return {
    attendanceId: randomUUID(),
    signUpId: randomUUID(),
    shiftId: randomUUID(),
    opportunityId: randomUUID(),
    userId,
    communityId: TAOYUANJU.id,
    category: 'ELDERLY_CARE' as const,
    hours: 2.5,
    verifiedBy: randomUUID(),
    verifiedAt: new Date().toISOString(),
  };
}

const grant = (userId: string, displayName: string) =>
  partners.publish(ConsentGranted, {
    consentId: randomUUID(),
    userId,
    communityId: TAOYUANJU.id,
    partnerClientId: bureau.clientId,
    scope: 'volunteer-records:read' as const,
    displayName,
    consentVersion: (consentVersion += 1),
    grantedAt: new Date().toISOString(),
  });

const revoke = (userId: string) =>
  partners.publish(ConsentRevoked, {
    consentId: randomUUID(),
    userId,
    communityId: TAOYUANJU.id,
    partnerClientId: bureau.clientId,
    scope: 'volunteer-records:read' as const,
    consentVersion: (consentVersion += 1),
    revokedAt: new Date().toISOString(),
  });

/** Waits until the consumer has handled an event (its id is in the inbox): topics are not ordered among each other. */
async function handled(eventId: string): Promise<void> {
  await waitFor(
    async () => (await partners.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [eventId])).length === 1,
    `event ${eventId} handled`,
    20_000,
  );
}

/** Publishes a marker public event and waits until it is delivered: everything published before it was handled. */
async function settle(): Promise<void> {
  const marker = await partners.publish(AttendanceVerified, attendance(randomUUID()));
  await waitFor(() => receiver.received.some((r) => r.body.includes(marker)), 'the marker event', 20_000);
}

const records = () =>
  receiver.received
    .map(
      (request) =>
        new Webhook(secret).verify(request.body, request.headers) as { type: string; data: Record<string, unknown> },
    )
    .filter((body) => body.type === RECORD);

beforeAll(async () => {
  partners = await startPartnersForTests();
  receiver = await startReceiver();
  bureau = await partners.partner(['webhooks:manage', 'events:read', 'volunteer-records:read']);
  const created = await graphqlData<{ createWebhookEndpoint: { secret: string } }>(
    partners.url,
    `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
    {
      input: {
        url: receiver.url,
        eventTypes: [RECORD, 'volunteering.attendance.verified'],
        communityIds: [TAOYUANJU.id],
      },
    },
    { token: bureau.token },
  );
  secret = created.createWebhookEndpoint.secret;
});
afterAll(async () => {
  await receiver?.stop();
  await partners?.stop();
});

describe('consented personal records', () => {
  it('without consent no personal record reaches the partner; the public event carries no name', async () => {
    const userId = randomUUID();
    await partners.publish(AttendanceVerified, attendance(userId));
    await settle();
    expect(records().filter((record) => record.data.userId === userId)).toEqual([]);
    expect(receiver.received.map((r) => r.body).join('')).not.toContain('displayName');
  });

  it('with consent the record arrives with the name and hours; after revocation it stops and the name is erased', async () => {
    const userId = randomUUID();
    await handled(await grant(userId, '张伟'));
    await partners.publish(AttendanceVerified, attendance(userId));
    await waitFor(() => records().some((record) => record.data.userId === userId), 'the personal record', 20_000);
    expect(records().find((record) => record.data.userId === userId)?.data).toMatchObject({
      displayName: '张伟',
      hours: 2.5,
      category: 'ELDERLY_CARE',
    });

    const resident = await partners.issuer.sign({ userId, communityId: TAOYUANJU.id });
    const log = await graphqlData<{
      _entities: { dataDisclosures: { edges: { node: { eventType: string; partnerClientId: string } }[] } }[];
    }>(
      partners.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { dataDisclosures { edges { node { eventType partnerClientId } } } } } }`,
      { r: [{ __typename: 'User', id: userId }] },
      { token: resident, asGatewayTo: 'partners' },
    );
    expect(log._entities[0].dataDisclosures.edges.map((edge) => edge.node)).toEqual([
      { eventType: RECORD, partnerClientId: bureau.clientId },
    ]);
    const stranger = await partners.issuer.sign({ userId: randomUUID(), communityId: TAOYUANJU.id });
    const peek = await graphqlRequest(
      partners.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { dataDisclosures { edges { node { id } } } } } }`,
      { r: [{ __typename: 'User', id: userId }] },
      { token: stranger, asGatewayTo: 'partners' },
    );
    expect(peek.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await handled(await revoke(userId));
    const before = records().filter((record) => record.data.userId === userId).length;
    await partners.publish(AttendanceVerified, attendance(userId));
    await settle();
    expect(records().filter((record) => record.data.userId === userId)).toHaveLength(before);
    const kept = await partners.query<{ display_name: string | null; granted: boolean }>(
      `SELECT display_name, granted FROM consents WHERE user_id = $1`,
      [userId],
    );
    expect(kept).toEqual([{ display_name: null, granted: false }]);
  });

  it('a late grant older than the revocation does not bring consent back', async () => {
    const userId = randomUUID();
    await handled(await grant(userId, '刘洋'));
    const staleVersion = consentVersion;
    await handled(await revoke(userId));
    // The grant delivered again, late (Kafka may reorder across topics).
    const late = await partners.publish(ConsentGranted, {
      consentId: randomUUID(),
      userId,
      communityId: TAOYUANJU.id,
      partnerClientId: bureau.clientId,
      scope: 'volunteer-records:read' as const,
      displayName: '刘洋',
      consentVersion: staleVersion,
      grantedAt: new Date().toISOString(),
    });
    await handled(late);
    await partners.publish(AttendanceVerified, attendance(userId));
    await settle();
    expect(records().filter((record) => record.data.userId === userId)).toEqual([]);
  });

  it('a revoked partner client receives nothing more', async () => {
    const other = await partners.partner(['webhooks:manage']);
    const second = await startReceiver();
    try {
      await graphqlData(
        partners.url,
        `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
        { input: { url: second.url, eventTypes: ['volunteering.attendance.verified'], communityIds: [TAOYUANJU.id] } },
        { token: other.token },
      );
      await partners.publish(PartnerClientRevoked, {
        clientId: other.clientId,
        revokedBy: randomUUID(),
        revokedAt: new Date().toISOString(),
      });
      await waitFor(
        async () => {
          const rows = await partners.query(
            `SELECT 1 FROM partner_clients WHERE client_id = $1 AND revoked_at IS NOT NULL`,
            [other.clientId],
          );
          return rows.length === 1;
        },
        'the revocation',
        20_000,
      );
      await settle();
      expect(second.received).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
