import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('RegistrationCodeRequest', {
  description: 'A code is on its way by SMS (the same answer whether or not the number is already registered)',
})
export class RegistrationCodeRequestType {
  @Field(() => Int, { description: 'Digits in the code' })
  codeLength!: number;

  @Field(() => Int, { description: 'How long the code stays valid' })
  expiresInSeconds!: number;
}
