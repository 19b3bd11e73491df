import { Field, ID, InputType } from 'type-graphql';

@InputType('RegisterInput')
export class RegisterInput {
  @Field(() => ID)
  communityId!: string;

  @Field({ description: 'Mainland China mobile number' })
  phone!: string;

  @Field({ description: 'The 6-digit code sent to the phone by requestRegistrationCode' })
  code!: string;

  @Field({ description: 'At least 8 characters' })
  password!: string;

  @Field({ description: '1–40 characters, any script; no control, zero-width or text-direction characters' })
  displayName!: string;
}
