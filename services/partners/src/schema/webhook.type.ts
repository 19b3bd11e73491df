import { ConnectionType } from '@taoyuan/service-kit';
import { GraphQLDateTime } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookEndpointStatus } from '../entities/webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(WebhookEndpointStatus, { name: 'WebhookEndpointStatus' });
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING (waiting or retrying), DELIVERED, FAILED (gave up after about a day), CANCELLED (consent withdrawn)',
});

@ObjectType('WebhookEndpoint', { description: 'Where a partner receives signed events (Standard Webhooks)' })
export class WebhookEndpointType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], { description: 'Event types, e.g. points.tier-reached or volunteer-record.verified' })
  eventTypes!: string[];

  @Field(() => [ID])
  communityIds!: string[];

  @Field(() => WebhookEndpointStatus)
  status!: WebhookEndpointStatus;

  @Field(() => String, { nullable: true, description: 'Why it was disabled' })
  disabledReason!: string | null;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;
}

@ObjectType('WebhookEndpointSecret', { description: 'The signing secret (whsec_…), shown in this answer only' })
export class WebhookEndpointSecretType {
  @Field(() => WebhookEndpointType)
  endpoint!: WebhookEndpointType;

  @Field(() => String)
  secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One message to an endpoint and how its delivery went' })
export class WebhookDeliveryType {
  @Field(() => ID, { description: 'The webhook-id header: the same on every retry and replay' })
  id!: string;

  @Field(() => ID, { description: 'The source event’s id (ce_id)' })
  eventId!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => GraphQLDateTime)
  eventTime!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the next attempt is due (PENDING only)' })
  nextAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'Milliseconds of the last attempt' })
  lastLatencyMs!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => String, { nullable: true, description: 'At most the first kilobyte of the last response' })
  lastResponse!: string | null;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDeliveryType, 'WebhookDelivery');

@ObjectType('PartnerNotice', { description: 'Something the partner must know, e.g. an endpoint disabled' })
export class PartnerNoticeType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  endpointId!: string | null;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  message!: string;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;
}

@InputType('CreateWebhookEndpointInput')
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'https:// (or http://) on the public internet' })
  url!: string;

  @Field(() => [String])
  eventTypes!: string[];

  @Field(() => [ID])
  communityIds!: string[];
}

@ObjectType('DataDisclosure', { description: 'One of your records sent (or queued) to a partner with your consent' })
export class DataDisclosureType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerClientId!: string;

  @Field(() => String, { nullable: true })
  partnerName!: string | null;

  @Field(() => String)
  eventType!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  deliveredAt!: Date | null;
}

export const DataDisclosureConnection = ConnectionType(DataDisclosureType, 'DataDisclosure');

@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}
