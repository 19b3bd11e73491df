import { Field, ID, InputType } from 'type-graphql';

@InputType('RegisterInput')
export class RegisterInput {
  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'Mainland China mobile number' })
  phone!: string;

  @Field({ description: 'At least 8 characters' })
  password!: string;

  @Field({ description: '1–40 characters, any script' })
  displayName!: string;
}
