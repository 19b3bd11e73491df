import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { NeedStatus, OrderCancelReason, OrderStatus, PayWith, ServiceCategory } from './enums';

@Directive('@key(fields: "id")')
@ObjectType('Order', { description: 'A resident’s order of a service; seen by the buyer, the provider and staff' })
export class OrderType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The id the client chose; placing again with it returns this order' })
  clientOrderId!: string;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => PayWith)
  payWith!: PayWith;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'Points for the whole order (0 unless paid in points)' })
  pricePoints!: number;

  @Field(() => Int, { description: 'Fen for the whole order (0 unless paid in cash)' })
  priceFen!: number;

  @Field()
  note!: string;

  @Field(() => OrderCancelReason, { nullable: true })
  cancelReason!: OrderCancelReason | null;

  @Field(() => String, { nullable: true, description: 'The provider’s reason when it declined' })
  declineReason!: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the provider recorded the cash payment' })
  paidAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Unpaid points orders are cancelled after this' })
  paymentDueAt!: Date | null;

  @Field(() => DateTimeISOResolver)
  placedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  confirmedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  completedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  cancelledAt!: Date | null;
}

export const OrderConnection = ConnectionType(OrderType, 'Order');

@InputType('PlaceOrderInput')
export class PlaceOrderInput {
  @Field(() => ID)
  offeringId!: string;

  @Field(() => ID, { nullable: true, description: 'Required when the offering has time slots' })
  slotId?: string | null;

  @Field(() => PayWith)
  payWith!: PayWith;

  @Field(() => Int, { description: '1–10', defaultValue: 1 })
  quantity!: number;

  @Field(() => String, { nullable: true, description: 'Up to 300 characters for the provider' })
  note?: string | null;

  @Field({ description: 'Chosen by the client (e.g. a UUID), 1–64 characters: a retried call returns the same order' })
  clientOrderId!: string;
}

@ObjectType('Review')
export class ReviewType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: '1–5 stars' })
  rating!: number;

  @Field({ description: 'Up to 500 characters' })
  comment!: string;

  @Field(() => String, { nullable: true, description: 'The provider’s one reply' })
  reply!: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  repliedAt!: Date | null;

  @Field()
  hidden!: boolean;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver)
  updatedAt!: Date;
}

export const ReviewConnection = ConnectionType(ReviewType, 'Review');

@ObjectType('Need', { description: 'A neighbour asking for help on the mutual-aid board (邻里互助)' })
export class NeedType {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => ServiceCategory)
  category!: ServiceCategory;

  @Field(() => DateTimeISOResolver)
  neededBy!: Date;

  @Field(() => Int, { description: '0–200 points, escrowed from the poster and paid to the helper on fulfilment' })
  rewardPoints!: number;

  @Field(() => NeedStatus)
  status!: NeedStatus;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  fulfilledAt!: Date | null;
}

export const NeedConnection = ConnectionType(NeedType, 'Need');

@InputType('PostNeedInput')
export class PostNeedInput {
  @Field({ description: '1–80 characters' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Up to 1000 characters' })
  description?: string | null;

  @Field(() => ServiceCategory)
  category!: ServiceCategory;

  @Field(() => DateTimeISOResolver, { description: 'In the future; after it an unfulfilled need expires' })
  neededBy!: Date;

  @Field(() => Int, { description: '0–200 points' })
  rewardPoints!: number;
}

@InputType('NeedFilter')
export class NeedFilter {
  @Field(() => ServiceCategory, { nullable: true })
  category?: ServiceCategory | null;

  @Field(() => NeedStatus, { nullable: true })
  status?: NeedStatus | null;

  @Field(() => String, { nullable: true, description: '2–40 characters in the title or description' })
  text?: string | null;
}
