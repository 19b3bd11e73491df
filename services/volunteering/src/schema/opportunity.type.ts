import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { OpportunityCategory, OpportunityStatus } from './enums';

@Directive('@key(fields: "id")')
@ObjectType('Opportunity', { description: 'A volunteer opportunity (志愿服务项目) with one or more shifts' })
export class OpportunityType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field({ description: '1–80 characters, e.g. 周末社区环境整治' })
  title!: string;

  @Field({ description: 'Up to 2000 characters' })
  description!: string;

  @Field(() => OpportunityCategory)
  category!: OpportunityCategory;

  @Field({ description: 'Where volunteers meet, e.g. 桃源居中心广场' })
  location!: string;

  @Field(() => OpportunityStatus)
  status!: OpportunityStatus;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  publishedAt!: Date | null;
}

@ObjectType('Shift', { description: 'One time slot of an opportunity, with a number of places' })
export class ShiftType {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeISOResolver)
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  endsAt!: Date;

  @Field({ description: 'IANA time zone the shift is announced in (default Asia/Shanghai)' })
  timeZone!: string;

  @Field(() => Int, { description: 'Places; beyond it volunteers are waitlisted' })
  capacity!: number;
}

export const OpportunityConnection = ConnectionType(OpportunityType, 'Opportunity');

@InputType('CreateOpportunityInput')
export class CreateOpportunityInput {
  @Field({ description: '1–80 characters' })
  title!: string;

  @Field({ description: 'Up to 2000 characters' })
  description!: string;

  @Field(() => OpportunityCategory)
  category!: OpportunityCategory;

  @Field({ description: '1–120 characters' })
  location!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Host organization; its backbones and leaders may then organize the opportunity too',
  })
  organizationId?: string | null;
}

@InputType('UpdateOpportunityInput', { description: 'Only the fields given change' })
export class UpdateOpportunityInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => OpportunityCategory, { nullable: true })
  category?: OpportunityCategory | null;

  @Field(() => String, { nullable: true })
  location?: string | null;
}

@InputType('AddShiftInput')
export class AddShiftInput {
  @Field(() => DateTimeISOResolver, { description: 'In the future' })
  startsAt!: Date;

  @Field(() => DateTimeISOResolver, { description: 'After startsAt, at most 24 hours later' })
  endsAt!: Date;

  @Field(() => String, { nullable: true, description: 'IANA time zone, default Asia/Shanghai' })
  timeZone?: string | null;

  @Field(() => Int, { description: '1–500 places' })
  capacity!: number;
}

@InputType('OpportunityFilter')
export class OpportunityFilter {
  @Field(() => OpportunityCategory, { nullable: true })
  category?: OpportunityCategory | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Has a shift that ends after this instant' })
  from?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Has a shift that starts before this instant' })
  to?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: has an upcoming shift with a free place; false: has none',
  })
  hasSpots?: boolean | null;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => OpportunityStatus, {
    nullable: true,
    description:
      'Default PUBLISHED. Drafts and cancelled ones list only for community workers, or for whoever created them',
  })
  status?: OpportunityStatus | null;
}
