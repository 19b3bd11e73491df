import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** identity's User; marketplace adds orders and needs to it. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

/** The organizations subgraph's Organization; marketplace adds the service offerings it provides. */
@Directive('@key(fields: "id")')
@ObjectType('Organization')
export class OrganizationRef {
  @Field(() => ID)
  id!: string;
}
