import { PartnerScope } from '@taoyuan/service-kit';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { PartnerClientStatus, PartnerKind } from '../entities/partner-client.entity';

registerEnumType(PartnerKind, { name: 'PartnerKind', description: 'What kind of agency a partner client belongs to' });
registerEnumType(PartnerClientStatus, { name: 'PartnerClientStatus' });
registerEnumType(PartnerScope, {
  name: 'PartnerScope',
  description: 'What a partner token may do; the OAuth scope strings are events:read, reports:read, …',
  valuesConfig: {
    EVENTS_READ: { description: 'events:read — public events (Kafka or webhooks)' },
    REPORTS_READ: { description: 'reports:read — aggregate reads of its communities (leaderboards, reports)' },
    VOLUNTEER_RECORDS_READ: {
      description: 'volunteer-records:read — a consenting resident’s verified hours, with their name',
    },
    WEBHOOKS_MANAGE: { description: 'webhooks:manage — create and manage webhook endpoints' },
  },
});

@ObjectType('PartnerClient', { description: 'A partner agency’s OAuth client (client-credentials grant)' })
export class PartnerClientType {
  @Field(() => ID, { description: 'The OAuth client_id' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PartnerKind)
  kind!: PartnerKind;

  @Field(() => [ID])
  communityIds!: string[];

  @Field(() => [PartnerScope])
  scopes!: PartnerScope[];

  @Field(() => PartnerClientStatus)
  status!: PartnerClientStatus;

  @Field(() => [ID], { description: 'Communities whose committee has approved it' })
  approvedCommunityIds!: string[];

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the current secret was issued' })
  secretRotatedAt!: Date;
}

@ObjectType('PartnerClientSecret', {
  description: 'The client secret, shown this once: only its hash is kept, so a lost secret can only be rotated',
})
export class PartnerClientSecretType {
  @Field(() => PartnerClientType)
  client!: PartnerClientType;

  @Field(() => String, { description: 'Present it with the client id to POST /oauth/token' })
  clientSecret!: string;
}

@InputType('RegisterPartnerClientInput')
export class RegisterPartnerClientInput {
  @Field(() => String)
  name!: string;

  @Field(() => PartnerKind)
  kind!: PartnerKind;

  @Field(() => [ID], { description: 'The communities it serves (yours among them); each committee must approve' })
  communityIds!: string[];

  @Field(() => [PartnerScope])
  scopes!: PartnerScope[];
}
