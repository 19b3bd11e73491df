import { CALLER_INDEPENDENT } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Role } from './role.enum';

@Directive(CALLER_INDEPENDENT)
@Directive('@key(fields: "id")')
@ObjectType('User', { description: 'A registered person; other subgraphs extend it with points, memberships, orders…' })
export class UserType {
  @Directive(CALLER_INDEPENDENT)
  @Field(() => ID)
  id!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field(() => ID)
  communityId!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field({ description: 'Any script, 1–40 characters' })
  displayName!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field(() => [Role])
  roles!: Role[];

  @Directive(CALLER_INDEPENDENT)
  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

@ObjectType('AuthPayload')
export class AuthPayloadType {
  @Field({ description: 'Short-lived JWT (EdDSA) for the Authorization: Bearer header' })
  accessToken!: string;

  @Field({ description: 'Single-use: exchange it with refreshToken for a new pair' })
  refreshToken!: string;

  @Field(() => DateTimeISOResolver, { description: 'When the access token expires' })
  expiresAt!: Date;

  @Field(() => UserType)
  user!: UserType;
}
