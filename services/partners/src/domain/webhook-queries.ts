import {
  NotFoundError,
  pageArgs,
  sequenceCursor,
  toConnection,
  type Connection,
  type PartnerCaller,
} from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';

export interface DeliveryRow {
  seq: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  event_time: Date;
  created_at: Date;
  delivered_at: Date | null;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  last_response: string | null;
}

export interface DisclosureRow {
  seq: string;
  id: string;
  partner_client_id: string;
  partner_name: string | null;
  event_type: string;
  status: string;
  created_at: Date;
  delivered_at: Date | null;
}

export function endpointsOf(db: DataSource, partner: PartnerCaller): Promise<WebhookEndpointEntity[]> {
  return db.getRepository(WebhookEndpointEntity).find({
    where: { clientId: partner.clientId },
    order: { createdAt: 'ASC' },
  });
}

/** The delivery log of one of the partner's endpoints, newest first. */
export async function deliveriesOf(
  db: DataSource,
  partner: PartnerCaller,
  endpointId: string,
  status: string | null,
  first: number | null,
  after: string | null,
): Promise<Connection<DeliveryRow>> {
  const endpoint = await db.getRepository(WebhookEndpointEntity).findOneBy({ id: endpointId });
  if (!endpoint || endpoint.clientId !== partner.clientId) throw new NotFoundError('WebhookEndpoint', endpointId);
  const { limit, after: cursor } = pageArgs(first, after, sequenceCursor);
  const rows = await db.query<DeliveryRow[]>(
    `SELECT seq::text, id, endpoint_id, event_id, event_type, status, attempts, event_time, created_at, delivered_at,
            next_attempt_at, last_status_code, last_latency_ms, last_error, last_response
       FROM webhook_messages
      WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::bigint IS NULL OR seq < $3)
      ORDER BY seq DESC LIMIT $4`,
    [endpointId, status, cursor?.[0] ?? null, limit + 1],
  );
  return toConnection(rows, limit, (row) => [row.seq]);
}

/** Notices to the partner (an endpoint disabled), newest first. */
export function noticesOf(db: DataSource, partner: PartnerCaller) {
  return db.query<{ id: string; endpoint_id: string | null; kind: string; message: string; created_at: Date }[]>(
    `SELECT id, endpoint_id, kind, message, created_at FROM partner_notices WHERE client_id = $1
      ORDER BY created_at DESC LIMIT 100`,
    [partner.clientId],
  );
}

/** What of a resident's own data was sent (or queued) to which partner, newest first: their disclosure log. */
export async function disclosuresOf(
  db: DataSource,
  userId: string,
  first: number | null,
  after: string | null,
): Promise<Connection<DisclosureRow>> {
  const { limit, after: cursor } = pageArgs(first, after, sequenceCursor);
  const rows = await db.query<DisclosureRow[]>(
    `SELECT m.seq::text, m.id, e.client_id AS partner_client_id, p.name AS partner_name, m.event_type, m.status,
            m.created_at, m.delivered_at
       FROM webhook_messages m
       JOIN webhook_endpoints e ON e.id = m.endpoint_id
       LEFT JOIN partner_clients p ON p.client_id = e.client_id
      WHERE m.user_id = $1 AND ($2::bigint IS NULL OR m.seq < $2)
      ORDER BY m.seq DESC LIMIT $3`,
    [userId, cursor?.[0] ?? null, limit + 1],
  );
  return toConnection(rows, limit, (row) => [row.seq]);
}
