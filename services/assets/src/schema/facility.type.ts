import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver, SafeIntResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AssetKind, AssetStatus, Booker, BookingStatus } from './enums';

@ObjectType('Asset', { description: 'An item of the community’s asset register (staff)' })
export class AssetType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field(() => AssetKind)
  kind!: AssetKind;

  @Field({ description: 'e.g. 会所多功能厅' })
  name!: string;

  @Field({ description: 'COMMUNITY (the community’s self-governing organization) or the named owner' })
  owner!: string;

  @Field(() => SafeIntResolver, { description: 'Book value in fen (1 元 = 100 fen)' })
  valueFen!: number;

  @Field(() => AssetStatus)
  status!: AssetStatus;

  @Field()
  note!: string;
}

@ObjectType('OpeningHours')
@InputType('OpeningHoursInput')
export class OpeningHoursType {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday … 7 = Sunday' })
  weekday!: number;

  @Field({ description: 'Local time HH:MM in the facility’s time zone' })
  opens!: string;

  @Field({ description: 'Local time HH:MM, after opens (24:00 for midnight)' })
  closes!: string;
}

@ObjectType('BookingRules')
export class BookingRulesType {
  @Field(() => [Booker])
  bookableBy!: Booker[];

  @Field(() => Int)
  maxBookingMinutes!: number;

  @Field(() => Int, { description: 'How many days ahead a booking may start' })
  maxDaysAhead!: number;

  @Field(() => SafeIntResolver)
  feePerHourFen!: number;

  @Field({ description: 'Organizations book free for their public-welfare activities' })
  freeForOrganizations!: boolean;

  @Field(() => Int, { nullable: true, description: 'More attendees than this need staff approval' })
  approvalAboveAttendees!: number | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Facility', { description: 'A bookable public-welfare facility of the community' })
export class FacilityType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'e.g. 图书馆阅览室' })
  name!: string;

  @Field(() => AssetStatus)
  status!: AssetStatus;

  @Field(() => Int)
  capacity!: number;

  @Field({ description: 'Opening hours are local times in this zone (Asia/Shanghai)' })
  timeZone!: string;

  @Field(() => [OpeningHoursType])
  openingHours!: OpeningHoursType[];

  @Field(() => BookingRulesType)
  rules!: BookingRulesType;
}

@ObjectType('TimeInterval')
export class TimeIntervalType {
  @Field(() => DateTimeISOResolver)
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  endsAt!: Date;
}

@ObjectType('Booking')
export class BookingType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  facilityId!: string;

  @Field(() => ID)
  communityId!: string;

  @Field()
  purpose!: string;

  @Field(() => Int)
  attendees!: number;

  @Field(() => DateTimeISOResolver)
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  endsAt!: Date;

  @Field(() => BookingStatus)
  status!: BookingStatus;

  @Field(() => SafeIntResolver, { description: 'Fee in fen; 0 when free' })
  feeFen!: number;

  @Field(() => DateTimeISOResolver, { nullable: true })
  paidAt!: Date | null;

  @Field(() => String, { nullable: true })
  cancelReason!: string | null;

  @Field(() => String, { nullable: true, description: 'Why staff rejected it' })
  decisionReason!: string | null;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

export const BookingConnection = ConnectionType(BookingType, 'Booking');

@InputType('BookFacilityInput')
export class BookFacilityInput {
  @Field(() => ID)
  facilityId!: string;

  @Field(() => DateTimeISOResolver)
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  endsAt!: Date;

  @Field({ description: '1–200 characters, e.g. 长者合唱团排练' })
  purpose!: string;

  @Field(() => Int)
  attendees!: number;

  @Field(() => ID, { nullable: true, description: 'Book on behalf of this organization (its backbones and leaders)' })
  organizationId?: string | null;
}

@InputType('FacilityRulesInput')
export class FacilityRulesInput {
  @Field(() => Int)
  capacity!: number;

  @Field(() => [OpeningHoursType])
  openingHours!: OpeningHoursType[];

  @Field(() => [Booker])
  bookableBy!: Booker[];

  @Field(() => Int)
  maxBookingMinutes!: number;

  @Field(() => Int)
  maxDaysAhead!: number;

  @Field(() => SafeIntResolver)
  feePerHourFen!: number;

  @Field()
  freeForOrganizations!: boolean;

  @Field(() => Int, { nullable: true })
  approvalAboveAttendees?: number | null;
}

@InputType('CreateFacilityInput')
export class CreateFacilityInput extends FacilityRulesInput {
  @Field({ description: '1–80 characters, unique in the community' })
  name!: string;

  @Field(() => SafeIntResolver, { description: 'Book value in fen' })
  valueFen!: number;

  @Field(() => String, { nullable: true, description: 'Default COMMUNITY' })
  owner?: string | null;
}

@InputType('RegisterAssetInput')
export class RegisterAssetInput {
  @Field(() => AssetKind, { description: 'EQUIPMENT or PROPERTY (facilities: createFacility)' })
  kind!: AssetKind;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  owner?: string | null;

  @Field(() => SafeIntResolver)
  valueFen!: number;

  @Field(() => AssetStatus, { nullable: true })
  status?: AssetStatus | null;

  @Field(() => String, { nullable: true, description: 'e.g. the tenant of a shop' })
  note?: string | null;
}
