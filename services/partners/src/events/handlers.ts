import {
  applyIfNewer,
  AttendanceVerified,
  ConsentGranted,
  ConsentRevoked,
  on,
  PartnerClientActivated,
  PartnerClientRevoked,
  PUBLIC_EVENTS,
  type EventHandler,
  type HandledEvent,
  type OrderedProjection,
  type PayloadOf,
} from '@taoyuan/events';
import type { EntityManager } from 'typeorm';
import { WEBHOOK_CHANNEL } from '../domain/dispatcher';
import { CONSENT_SCOPE, VOLUNTEER_RECORD_TYPE } from '../domain/webhook-types';

type ConsentRow = {
  user_id: string;
  partner_client_id: string;
  scope: string;
  community_id: string;
  granted: boolean;
  display_name: string | null;
  consent_version: number;
  updated_at: Date;
};

const CONSENTS: OrderedProjection<ConsentRow> = {
  table: 'consents',
  key: ['user_id', 'partner_client_id', 'scope'],
  version: 'consent_version',
};

/**
 * One message per endpoint that subscribed to this type for this community, in the transaction that records the
 * event (so a redelivered event queues nothing twice: the inbox and UNIQUE (endpoint_id, event_id) both say so).
 */
async function queuePublic(manager: EntityManager, event: HandledEvent<unknown>): Promise<void> {
  const type = event.envelope.type.replace(/^taoyuan\./, '').replace(/\.v\d+$/, '');
  await manager.query(
    `INSERT INTO webhook_messages (id, endpoint_id, event_id, event_type, subject, community_id, payload, event_time,
                                   status)
     SELECT gen_random_uuid(), e.id, $1, $2, $3, $4, $5, $6, 'PENDING'
       FROM webhook_endpoints e
       JOIN partner_clients p ON p.client_id = e.client_id AND p.revoked_at IS NULL
      WHERE e.status = 'ACTIVE' AND $2 = ANY (e.event_types) AND $4 = ANY (e.community_ids)
     ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    [event.envelope.id, type, event.envelope.subject, event.envelope.communityid, event.payload, event.time],
  );
  await manager.query(`NOTIFY ${WEBHOOK_CHANNEL}`);
}

/** The personal record, only to endpoints of partners the resident consented to, with the name they consented to. */
async function queueVolunteerRecord(
  manager: EntityManager,
  event: HandledEvent<PayloadOf<typeof AttendanceVerified>>,
): Promise<void> {
  const verified = event.payload;
  await manager.query(
    `INSERT INTO webhook_messages (id, endpoint_id, event_id, event_type, subject, community_id, user_id, payload,
                                   event_time, status)
     SELECT gen_random_uuid(), e.id, $1, $2, $3, $4, $5,
            jsonb_build_object('userId', $5::uuid, 'displayName', c.display_name, 'hours', $6::numeric,
                               'category', $7::text, 'opportunityId', $8::uuid, 'attendanceId', $9::uuid,
                               'communityId', $4::uuid, 'verifiedAt', $10::text),
            $11, 'PENDING'
       FROM webhook_endpoints e
       JOIN partner_clients p ON p.client_id = e.client_id AND p.revoked_at IS NULL
       JOIN consents c ON c.partner_client_id = e.client_id AND c.user_id = $5 AND c.scope = $12 AND c.granted
      WHERE e.status = 'ACTIVE' AND $2 = ANY (e.event_types) AND $4 = ANY (e.community_ids)
     ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    [
      event.envelope.id,
      VOLUNTEER_RECORD_TYPE,
      event.envelope.subject,
      verified.communityId,
      verified.userId,
      verified.hours,
      verified.category,
      verified.opportunityId,
      verified.attendanceId,
      verified.verifiedAt,
      event.time,
      CONSENT_SCOPE,
    ],
  );
}

export function partnersHandlers(): EventHandler[] {
  const publicHandlers = PUBLIC_EVENTS.filter((definition) => definition !== AttendanceVerified).map((definition) =>
    on(definition, (event, manager) => queuePublic(manager, event)),
  );
  return [
    ...publicHandlers,
    on(AttendanceVerified, async (event, manager) => {
      await queueVolunteerRecord(manager, event);
      await queuePublic(manager, event);
    }),
    on(PartnerClientActivated, async (event, manager) => {
      await manager.query(
        `INSERT INTO partner_clients (client_id, name, community_ids) VALUES ($1, $2, $3)
         ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, community_ids = excluded.community_ids`,
        [event.payload.clientId, event.payload.name, event.payload.communityIds],
      );
    }),
    on(PartnerClientRevoked, async (event, manager) => {
      // Revocation is final, whatever order the two facts arrive in.
      await manager.query(
        `INSERT INTO partner_clients (client_id, revoked_at) VALUES ($1, $2)
         ON CONFLICT (client_id) DO UPDATE SET revoked_at = excluded.revoked_at`,
        [event.payload.clientId, event.payload.revokedAt],
      );
      await manager.query(
        `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = 'partner client revoked', updated_at = now()
          WHERE client_id = $1 AND status = 'ACTIVE'`,
        [event.payload.clientId],
      );
      await manager.query(
        `UPDATE webhook_messages m SET status = 'CANCELLED', payload = NULL, last_error = 'partner client revoked'
           FROM webhook_endpoints e
          WHERE e.id = m.endpoint_id AND e.client_id = $1 AND m.status = 'PENDING'`,
        [event.payload.clientId],
      );
    }),
    on(ConsentGranted, async (event, manager) => {
      const consent = event.payload;
      await applyIfNewer(manager, CONSENTS, {
        user_id: consent.userId,
        partner_client_id: consent.partnerClientId,
        scope: consent.scope,
        community_id: consent.communityId,
        granted: true,
        display_name: consent.displayName,
        consent_version: consent.consentVersion,
        updated_at: event.time,
      });
    }),
    on(ConsentRevoked, async (event, manager) => {
      const consent = event.payload;
      const applied = await applyIfNewer(manager, CONSENTS, {
        user_id: consent.userId,
        partner_client_id: consent.partnerClientId,
        scope: consent.scope,
        community_id: consent.communityId,
        granted: false,
        display_name: null,
        consent_version: consent.consentVersion,
        updated_at: event.time,
      });
      if (!applied) return;
      // Nothing queued for this partner about this resident goes out any more, and no copy of the name stays.
      await manager.query(
        `UPDATE webhook_messages m SET status = 'CANCELLED', payload = NULL, last_error = 'consent withdrawn'
           FROM webhook_endpoints e
          WHERE e.id = m.endpoint_id AND e.client_id = $1 AND m.user_id = $2 AND m.status = 'PENDING'`,
        [consent.partnerClientId, consent.userId],
      );
    }),
  ];
}
