import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JoinPolicy, OrganizationKind, OrganizationStatus } from './enums';

@Directive('@key(fields: "id")')
@ObjectType('Organization', {
  description: 'A community social organization: volunteer team, interest club, elderly association…',
})
export class OrganizationType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'Unique in its community, ignoring case' })
  name!: string;

  @Field(() => OrganizationKind)
  kind!: OrganizationKind;

  @Field()
  description!: string;

  @Field(() => String, {
    nullable: true,
    description: 'How to reach the organization (a public contact, not a person’s phone)',
  })
  contact!: string | null;

  @Field(() => JoinPolicy)
  joinPolicy!: JoinPolicy;

  @Field(() => OrganizationStatus)
  status!: OrganizationStatus;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  approvedAt!: Date | null;
}

export const OrganizationConnection = ConnectionType(OrganizationType, 'Organization');

@ObjectType('OrganizationStatusChange', { description: 'One step of an organization’s status history' })
export class OrganizationStatusChangeType {
  @Field(() => OrganizationStatus, { nullable: true })
  fromStatus!: OrganizationStatus | null;

  @Field(() => OrganizationStatus)
  toStatus!: OrganizationStatus;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => DateTimeISOResolver)
  changedAt!: Date;
}

@ObjectType('OrganizationPolicy', { description: 'Limits a community sets for its organizations' })
export class OrganizationPolicyType {
  @Field(() => ID)
  communityId!: string;

  @Field(() => Int)
  maxLeadersPerOrganization!: number;
}

@InputType('RegisterOrganizationInput')
export class RegisterOrganizationInput {
  @Field({ description: '2–60 characters, unique in the community' })
  name!: string;

  @Field(() => OrganizationKind)
  kind!: OrganizationKind;

  @Field({ description: 'At most 2000 characters' })
  description!: string;

  @Field(() => String, { nullable: true, description: 'At most 100 characters' })
  contact?: string | null;

  @Field(() => JoinPolicy, { nullable: true, description: 'Default APPROVAL' })
  joinPolicy?: JoinPolicy | null;
}

@InputType('OrganizationFilter')
export class OrganizationFilter {
  @Field(() => ID, { nullable: true, description: 'Default: the caller’s community (required when signed out)' })
  communityId?: string | null;

  @Field(() => OrganizationKind, { nullable: true })
  kind?: OrganizationKind | null;

  @Field(() => OrganizationStatus, { nullable: true, description: 'Default ACTIVE' })
  status?: OrganizationStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or description' })
  search?: string | null;
}
