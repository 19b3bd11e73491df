import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NotificationKind } from '../domain/vocabulary';

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification is about',
  valuesConfig: {
    SIGN_UP_CONFIRMED: { description: 'A place on a volunteer shift is yours' },
    SIGN_UP_MOVED_FROM_WAITLIST: { description: 'You moved from the waitlist into a freed place' },
    POINTS_AWARDED: { description: 'Public-welfare points credited (verified attendance, a fulfilled need, a bonus)' },
    TIER_REACHED: { description: 'Your lifetime points reached a new tier' },
    PROMOTION_CANDIDATE: { description: 'You may move up one step in an organization; a decision is pending' },
    PROMOTION_APPROVED: { description: 'You moved up one step in an organization' },
    PROMOTION_DECLINED: { description: 'A promotion was declined' },
    ORDER_CONFIRMED: { description: 'A marketplace order was paid (or free) and confirmed' },
    ORDER_CANCELLED: { description: 'A marketplace order was cancelled' },
    ORDER_COMPLETED: { description: 'A marketplace order was delivered and completed' },
    BOOKING_CONFIRMED: { description: 'A facility booking was confirmed' },
  },
});

@ObjectType('Notification', {
  description: 'Something a resident was told; title and body are in the language of the request (Accept-Language)',
})
export class NotificationType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, {
    description: 'Per-resident number, rising with every notification: the `id:` of its Server-Sent Event',
  })
  sequence!: number;

  @Field(() => NotificationKind)
  kind!: NotificationKind;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  readAt!: Date | null;

  @Field()
  read!: boolean;

  @Field(() => Int, { nullable: true, description: 'Points credited (POINTS_AWARDED)' })
  points!: number | null;

  @Field(() => ID, { nullable: true, description: 'The opportunity (sign-ups)' })
  opportunityId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The organization (promotions)' })
  organizationId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The marketplace order (orders)' })
  orderId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The facility booking (bookings)' })
  bookingId!: string | null;
}

export const NotificationConnection = ConnectionType(NotificationType, 'Notification');

/** identity's User; notifications adds the resident's own notifications. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}
