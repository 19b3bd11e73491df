import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DataConsentScope, DataConsentStatus } from '../entities/data-consent.entity';

registerEnumType(DataConsentScope, {
  name: 'DataConsentScope',
  description: 'What of your data a partner may receive',
  valuesConfig: {
    VOLUNTEER_RECORDS_READ: { description: 'Your verified volunteer hours with your display name' },
  },
});
registerEnumType(DataConsentStatus, { name: 'DataConsentStatus' });

@ObjectType('DataConsent', { description: 'Your consent that a partner receives your records in one scope' })
export class DataConsentType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerClientId!: string;

  @Field(() => String)
  partnerName!: string;

  @Field(() => DataConsentScope)
  scope!: DataConsentScope;

  @Field(() => DataConsentStatus)
  status!: DataConsentStatus;

  @Field(() => GraphQLDateTime)
  grantedAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType('ConsentablePartner', { description: 'A partner serving your community that may ask for your consent' })
export class ConsentablePartnerType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}
