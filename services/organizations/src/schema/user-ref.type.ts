import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** identity's User, referenced by id; this subgraph adds memberships and promotion history to it. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}

export const userRef = (id: string): UserRef => ({ id });
