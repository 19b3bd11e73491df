import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** identity's User; volunteering adds pointsAccount, signUps and volunteerHours to it. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/** The organizations subgraph's Organization; volunteering adds the opportunities it hosts. */
@Directive('@key(fields: "id")')
@ObjectType('Organization')
export class OrganizationRef {
  @Field(() => ID)
  id!: string;
}
