import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { OfferingStatus, ProviderKind, ProviderStatus, ServiceCategory, TargetGroup } from './enums';

@Directive('@key(fields: "id")')
@ObjectType('Provider', { description: 'Someone who supplies services to the community' })
export class ProviderType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field(() => ProviderKind)
  kind!: ProviderKind;

  @Field({ description: 'e.g. 桃源居物业' })
  name!: string;

  @Field()
  description!: string;

  @Field({
    description: 'A community-run service business (社区兴办的社区服务业): its cash income is community income',
  })
  communityOwned!: boolean;

  @Field(() => ProviderStatus)
  status!: ProviderStatus;

  @Field(() => String, { nullable: true, description: 'Why it was rejected or suspended' })
  statusReason!: string | null;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

@ObjectType('ProviderRating', { description: 'Visible reviews only; hidden reviews do not count' })
export class ProviderRatingType {
  @Field(() => Float, { nullable: true, description: 'Mean rating, null without reviews' })
  average!: number | null;

  @Field(() => Int)
  count!: number;

  @Field(() => [Int], { description: 'Reviews per star: index 0 = 1 star … index 4 = 5 stars' })
  distribution!: number[];
}

@Directive('@key(fields: "id")')
@ObjectType('ServiceOffering', { description: 'A service a provider offers, free, for points, for cash or both' })
export class ServiceOfferingType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'e.g. 老人陪诊服务' })
  title!: string;

  @Field()
  description!: string;

  @Field(() => ServiceCategory)
  category!: ServiceCategory;

  @Field(() => [TargetGroup])
  targetGroups!: TargetGroup[];

  @Field()
  free!: boolean;

  @Field(() => Int, { nullable: true, description: 'Price in points per unit, if sold for points' })
  pricePoints!: number | null;

  @Field(() => Int, { nullable: true, description: 'Price in fen (分) per unit, if sold for cash' })
  priceFen!: number | null;

  @Field(() => OfferingStatus)
  status!: OfferingStatus;

  @Field(() => DateTimeISOResolver, { nullable: true })
  publishedAt!: Date | null;
}

@ObjectType('TimeSlot', { description: 'A time the service takes place, with a number of places' })
export class TimeSlotType {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeISOResolver)
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  endsAt!: Date;

  @Field(() => Int)
  capacity!: number;
}

export const ProviderConnection = ConnectionType(ProviderType, 'Provider');
export const ServiceOfferingConnection = ConnectionType(ServiceOfferingType, 'ServiceOffering');

@InputType('RegisterProviderInput')
export class RegisterProviderInput {
  @Field(() => ProviderKind)
  kind!: ProviderKind;

  @Field({ description: '1–60 characters' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Up to 2000 characters' })
  description?: string | null;

  @Field({ description: 'Phone or address, 1–120 characters; masked for residents' })
  contact!: string;

  @Field(() => Boolean, { nullable: true, description: 'A community-run business (staff only); default false' })
  communityOwned?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Required for SOCIAL_ORGANIZATION: the organization you lead' })
  organizationId?: string | null;
}

@InputType('ProviderFilter')
export class ProviderFilter {
  @Field(() => ProviderKind, { nullable: true })
  kind?: ProviderKind | null;

  @Field(() => ProviderStatus, { nullable: true, description: 'Other than VERIFIED: staff, or your own providers' })
  status?: ProviderStatus | null;
}

@InputType('CreateServiceOfferingInput', {
  description: 'Price: free: true, or pricePoints, or priceFen, or both prices (the buyer picks)',
})
export class CreateServiceOfferingInput {
  @Field(() => ID)
  providerId!: string;

  @Field({ description: '1–80 characters' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Up to 2000 characters' })
  description?: string | null;

  @Field(() => ServiceCategory)
  category!: ServiceCategory;

  @Field(() => [TargetGroup])
  targetGroups!: TargetGroup[];

  @Field(() => Boolean, { nullable: true })
  free?: boolean | null;

  @Field(() => Int, { nullable: true, description: '1–10000 points per unit' })
  pricePoints?: number | null;

  @Field(() => Int, { nullable: true, description: '1–10,000,000 fen per unit' })
  priceFen?: number | null;
}

@InputType('AddTimeSlotInput')
export class AddTimeSlotInput {
  @Field(() => DateTimeISOResolver, { description: 'In the future' })
  startsAt!: Date;

  @Field(() => DateTimeISOResolver)
  endsAt!: Date;

  @Field(() => Int, { description: '1–500 places' })
  capacity!: number;
}

@InputType('ServiceOfferingFilter')
export class ServiceOfferingFilter {
  @Field(() => ServiceCategory, { nullable: true })
  category?: ServiceCategory | null;

  @Field(() => TargetGroup, { nullable: true })
  targetGroup?: TargetGroup | null;

  @Field(() => ProviderKind, { nullable: true })
  providerKind?: ProviderKind | null;

  @Field(() => Boolean, { nullable: true, description: 'true: sold for points; false: not sold for points' })
  payableWithPoints?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Words in the title or description, 2–40 characters (e.g. 陪诊), found through an index',
  })
  text?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Has a time slot ending after this instant' })
  from?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Has a time slot starting before this instant' })
  to?: Date | null;
}
