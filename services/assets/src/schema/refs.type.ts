import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** identity's User; assets adds bookings and donations. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/** organizations' Organization; assets adds its bookings. */
@Directive('@key(fields: "id")')
@ObjectType('Organization')
export class OrganizationRef {
  @Field(() => ID)
  id!: string;
}

/** identity's Community; assets adds its funds and facilities. */
@Directive('@key(fields: "id")')
@ObjectType('Community')
export class CommunityRef {
  @Field(() => ID)
  id!: string;
}
