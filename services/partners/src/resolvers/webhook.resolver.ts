import {
  BadUserInputError,
  ForbiddenError,
  PartnerScope,
  requireCaller,
  requirePartnerScope,
  requireUuid,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { GraphQLDateTime } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { WebhookEndpointService } from '../domain/webhook-endpoint.service';
import {
  deliveriesOf,
  disclosuresOf,
  endpointsOf,
  noticesOf,
  type DeliveryRow,
  type DisclosureRow,
} from '../domain/webhook-queries';
import type { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';
import {
  CreateWebhookEndpointInput,
  DataDisclosureConnection,
  PartnerNoticeType,
  UserRef,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
  WebhookEndpointSecretType,
  WebhookEndpointType,
} from '../schema/webhook.type';

const toDelivery = (row: DeliveryRow) => ({
  id: row.id,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  eventTime: row.event_time,
  deliveredAt: row.delivered_at,
  nextAttemptAt: row.status === 'PENDING' ? row.next_attempt_at : null,
  lastStatusCode: row.last_status_code,
  lastLatencyMs: row.last_latency_ms,
  lastError: row.last_error,
  lastResponse: row.last_response,
});

const toDisclosure = (row: DisclosureRow) => ({
  id: row.id,
  partnerClientId: row.partner_client_id,
  partnerName: row.partner_name,
  eventType: row.event_type,
  status: row.status,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
});

function toDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new BadUserInputError(`${field} is not a time`, field);
  return value;
}

/** Partner clients (token scope webhooks:manage) manage their endpoints and read their delivery log. */
@Resolver(() => WebhookEndpointType)
export class WebhookResolver {
  constructor(
    private readonly db: DataSource,
    private readonly endpoints: WebhookEndpointService,
  ) {}

  @Query(() => [WebhookEndpointType], { description: 'Your webhook endpoints (partner clients: webhooks:manage)' })
  webhookEndpoints(@Ctx() context: ServiceContext): Promise<WebhookEndpointEntity[]> {
    return endpointsOf(this.db, requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE));
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of one of your endpoints, newest first' })
  async webhookDeliveries(
    @Ctx() context: ServiceContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<ReturnType<typeof toDelivery>>> {
    const partner = requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE);
    const page = await deliveriesOf(this.db, partner, requireUuid(endpointId, 'endpointId'), status, first, after);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toDelivery(edge.node) })) };
  }

  @Query(() => [PartnerNoticeType], { description: 'Notices to you, e.g. an endpoint disabled after failing' })
  async partnerNotices(@Ctx() context: ServiceContext): Promise<PartnerNoticeType[]> {
    const rows = await noticesOf(this.db, requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE));
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      kind: row.kind,
      message: row.message,
      createdAt: row.created_at,
    }));
  }

  @Mutation(() => WebhookEndpointSecretType, {
    description: 'A new endpoint; its signing secret is in this answer only',
  })
  createWebhookEndpoint(
    @Ctx() context: ServiceContext,
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const partner = requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE);
    const communityIds = input.communityIds.map((id) => requireUuid(id, 'communityIds'));
    return this.endpoints.create(partner, { ...input, communityIds });
  }

  @Mutation(() => WebhookEndpointSecretType, { description: 'A new signing secret, shown once; the old one stops' })
  rotateWebhookSecret(
    @Ctx() context: ServiceContext,
    @Arg('endpointId', () => ID) endpointId: string,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const partner = requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE);
    return this.endpoints.rotateSecret(partner, requireUuid(endpointId, 'endpointId'));
  }

  @Mutation(() => WebhookEndpointType, {
    description: 'Stop deliveries: nothing new is queued for it; messages already pending wait until it is enabled',
  })
  disableWebhookEndpoint(
    @Ctx() context: ServiceContext,
    @Arg('endpointId', () => ID) endpointId: string,
  ): Promise<WebhookEndpointEntity> {
    const partner = requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE);
    return this.endpoints.disable(partner, requireUuid(endpointId, 'endpointId'));
  }

  @Mutation(() => WebhookEndpointType, {
    description: 'Resume deliveries, messages pending since it was disabled first',
  })
  enableWebhookEndpoint(
    @Ctx() context: ServiceContext,
    @Arg('endpointId', () => ID) endpointId: string,
  ): Promise<WebhookEndpointEntity> {
    const partner = requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE);
    return this.endpoints.enable(partner, requireUuid(endpointId, 'endpointId'));
  }

  @Mutation(() => Int, {
    description: 'Send again the endpoint’s messages whose events happened in [from, to); answers how many',
  })
  replayWebhookDeliveries(
    @Ctx() context: ServiceContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('from', () => GraphQLDateTime) from: Date,
    @Arg('to', () => GraphQLDateTime) to: Date,
  ): Promise<number> {
    const partner = requirePartnerScope(context, PartnerScope.WEBHOOKS_MANAGE);
    return this.endpoints.replay(
      partner,
      requireUuid(endpointId, 'endpointId'),
      toDate(from, 'from'),
      toDate(to, 'to'),
    );
  }
}

/** Partners' field on identity's User: the resident's own disclosure log. */
@Resolver(() => UserRef)
export class UserDisclosureResolver {
  constructor(private readonly db: DataSource) {}

  @FieldResolver(() => DataDisclosureConnection, {
    description: 'Your records sent to partners with your consent, newest first (only you see this)',
  })
  async dataDisclosures(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<ReturnType<typeof toDisclosure>>> {
    const caller = requireCaller(context);
    if (caller.userId !== user.id) throw new ForbiddenError('NOT_YOURS', 'Only the resident reads their disclosures');
    const page = await disclosuresOf(this.db, user.id, first, after);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toDisclosure(edge.node) })) };
  }
}
