import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PartnerScope,
  type PartnerCaller,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { WebhookEndpointEntity, WebhookEndpointStatus } from '../entities/webhook-endpoint.entity';
import type { AddressPolicy } from './address-policy';
import { WEBHOOK_CHANNEL } from './dispatcher';
import { checkUrl, UnsafeUrlError } from './webhook-sender';
import { newWebhookSecret } from './webhook-signer';
import { VOLUNTEER_RECORD_TYPE, WEBHOOK_EVENT_TYPES } from './webhook-types';

export interface WebhookEndpointInput {
  url: string;
  eventTypes: string[];
  communityIds: string[];
}

const MAX_ENDPOINTS_PER_CLIENT = 20;
/** A replay resends at most this many messages at once (a partner recovering from an outage asks again for more). */
export const MAX_REPLAY = 10_000;

/**
 * A partner client manages its own endpoints (scope webhooks:manage), for communities its token serves. The URL is
 * checked at creation (shape and the addresses its host resolves to now) and again at every connection.
 */
export class WebhookEndpointService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AddressPolicy,
  ) {}

  async create(
    partner: PartnerCaller,
    input: WebhookEndpointInput,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const eventTypes = [...new Set(input.eventTypes)];
    if (eventTypes.length === 0) throw new BadUserInputError('Choose at least one event type', 'eventTypes');
    const unknown = eventTypes.find((type) => !WEBHOOK_EVENT_TYPES.includes(type));
    if (unknown) throw new BadUserInputError(`No webhook event type ${unknown}`, 'eventTypes');
    if (eventTypes.includes(VOLUNTEER_RECORD_TYPE) && !partner.scopes.includes(PartnerScope.VOLUNTEER_RECORDS_READ))
      throw new ForbiddenError('SCOPE_REQUIRED', `${VOLUNTEER_RECORD_TYPE} needs the scope volunteer-records:read`);
    const communityIds = [...new Set(input.communityIds.map((id) => id.toLowerCase()))];
    if (communityIds.length === 0) throw new BadUserInputError('Choose at least one community', 'communityIds');
    if (communityIds.some((id) => !partner.communityIds.includes(id)))
      throw new ForbiddenError('OTHER_COMMUNITY', 'This partner does not serve every community named');
    if (input.url.length > 2000) throw new BadUserInputError('url is too long', 'url');
    let url: URL;
    try {
      url = await checkUrl(input.url, this.policy);
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw new BadUserInputError(`url refused: ${error.message}`, 'url');
      throw error;
    }
    return this.db.transaction(async (manager) => {
      // Serialises one client's creations, so the limit holds under concurrent requests.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhook-endpoints:' || $1))`, [partner.clientId]);
      await this.ensureClientKnown(manager, partner);
      const count = await manager.countBy(WebhookEndpointEntity, { clientId: partner.clientId });
      if (count >= MAX_ENDPOINTS_PER_CLIENT)
        throw new ConflictError('ENDPOINT_LIMIT', `A partner has at most ${MAX_ENDPOINTS_PER_CLIENT} endpoints`);
      const secret = newWebhookSecret();
      const endpoint = manager.create(WebhookEndpointEntity, {
        id: randomUUID(),
        clientId: partner.clientId,
        url: url.toString(),
        eventTypes,
        communityIds,
        secret,
        status: WebhookEndpointStatus.ACTIVE,
        disabledReason: null,
      });
      await manager.insert(WebhookEndpointEntity, endpoint);
      return { endpoint, secret };
    });
  }

  async rotateSecret(
    partner: PartnerCaller,
    endpointId: string,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    return this.db.transaction(async (manager) => {
      const endpoint = await this.own(manager, partner, endpointId);
      endpoint.secret = newWebhookSecret();
      await manager.update(WebhookEndpointEntity, { id: endpoint.id }, { secret: endpoint.secret });
      return { endpoint, secret: endpoint.secret };
    });
  }

  async disable(partner: PartnerCaller, endpointId: string): Promise<WebhookEndpointEntity> {
    return this.db.transaction(async (manager) => {
      const endpoint = await this.own(manager, partner, endpointId);
      if (endpoint.status === WebhookEndpointStatus.DISABLED) return endpoint;
      endpoint.status = WebhookEndpointStatus.DISABLED;
      endpoint.disabledReason = 'disabled by the partner';
      await manager.update(
        WebhookEndpointEntity,
        { id: endpoint.id },
        { status: endpoint.status, disabledReason: endpoint.disabledReason },
      );
      return endpoint;
    });
  }

  /** Re-enables an endpoint; messages pending when it was disabled are then delivered, in order (nothing new queued meanwhile). */
  async enable(partner: PartnerCaller, endpointId: string): Promise<WebhookEndpointEntity> {
    return this.db.transaction(async (manager) => {
      const endpoint = await this.own(manager, partner, endpointId);
      endpoint.status = WebhookEndpointStatus.ACTIVE;
      endpoint.disabledReason = null;
      await manager.update(
        WebhookEndpointEntity,
        { id: endpoint.id },
        { status: endpoint.status, disabledReason: null },
      );
      await manager.query(`NOTIFY ${WEBHOOK_CHANNEL}`);
      return endpoint;
    });
  }

  /**
   * Sends again every message of the endpoint whose source event happened in [from, to), with the same
   * `webhook-id` (a receiver that already has it may skip it). Withdrawn personal records stay withdrawn.
   */
  async replay(partner: PartnerCaller, endpointId: string, from: Date, to: Date): Promise<number> {
    if (!(from < to)) throw new BadUserInputError('from must be before to', 'from');
    return this.db.transaction(async (manager) => {
      const endpoint = await this.own(manager, partner, endpointId);
      const [rows] = await manager.query<[unknown[], number]>(
        `UPDATE webhook_messages SET status = 'PENDING', attempts = 0, next_attempt_at = now()
          WHERE id IN (SELECT id FROM webhook_messages
                        WHERE endpoint_id = $1 AND event_time >= $2 AND event_time < $3
                          AND status IN ('DELIVERED', 'FAILED') AND payload IS NOT NULL
                        ORDER BY seq LIMIT $4)
        RETURNING id`,
        [endpoint.id, from, to, MAX_REPLAY],
      );
      await manager.query(`NOTIFY ${WEBHOOK_CHANNEL}`);
      return rows.length;
    });
  }

  /** A partner seen only through its token (the activation event may still be on its way) is recorded as active. */
  private async ensureClientKnown(manager: EntityManager, partner: PartnerCaller): Promise<void> {
    await manager.query(
      `INSERT INTO partner_clients (client_id, community_ids) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING`,
      [partner.clientId, partner.communityIds],
    );
    const [client] = await manager.query<{ revoked_at: Date | null }[]>(
      `SELECT revoked_at FROM partner_clients WHERE client_id = $1`,
      [partner.clientId],
    );
    if (client?.revoked_at) throw new ForbiddenError('PARTNER_CLIENT_REVOKED', 'This partner client was revoked');
  }

  private async own(
    manager: EntityManager,
    partner: PartnerCaller,
    endpointId: string,
  ): Promise<WebhookEndpointEntity> {
    const endpoint = await manager.findOne(WebhookEndpointEntity, {
      where: { id: endpointId },
      lock: { mode: 'pessimistic_write' },
    });
    // Another partner's endpoint is as invisible as a missing one.
    if (!endpoint || endpoint.clientId !== partner.clientId) throw new NotFoundError('WebhookEndpoint', endpointId);
    return endpoint;
  }
}
