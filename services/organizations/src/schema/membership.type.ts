import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { MembershipRole, MembershipStatus, PromotionStatus } from './enums';

@ObjectType('Membership', { description: 'A resident in an organization, with their place on the ladder' })
export class MembershipType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => MembershipRole)
  role!: MembershipRole;

  @Field(() => MembershipStatus)
  status!: MembershipStatus;

  @Field(() => DateTimeISOResolver)
  requestedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it became ACTIVE' })
  joinedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  endedAt!: Date | null;
}

export const MembershipConnection = ConnectionType(MembershipType, 'Membership');

@ObjectType('MembershipRoleChange', { description: 'One entry of a membership’s role history' })
export class MembershipRoleChangeType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  membershipId!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => MembershipRole, { nullable: true, description: 'Null for the role the membership started with' })
  fromRole!: MembershipRole | null;

  @Field(() => MembershipRole)
  toRole!: MembershipRole;

  @Field()
  reason!: string;

  @Field(() => DateTimeISOResolver)
  changedAt!: Date;
}

@ObjectType('PromotionCandidate', {
  description: 'A step up the ladder a member earned with points (points.tier-reached), waiting for or past a decision',
})
export class PromotionCandidateType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => ID)
  membershipId!: string;

  @Field(() => MembershipRole)
  fromRole!: MembershipRole;

  @Field(() => MembershipRole, { description: 'Always the next role above fromRole: no step is skipped' })
  targetRole!: MembershipRole;

  @Field(() => MembershipRole, { description: 'The highest role the resident’s tier allowed when this was raised' })
  eligibleUpTo!: MembershipRole;

  @Field(() => PromotionStatus)
  status!: PromotionStatus;

  @Field(() => DateTimeISOResolver)
  raisedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  declineReason!: string | null;
}

export const PromotionCandidateConnection = ConnectionType(PromotionCandidateType, 'PromotionCandidate');
