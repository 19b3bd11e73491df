import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ResidenceStatus } from '../entities/residence.entity';

registerEnumType(ResidenceStatus, {
  name: 'ResidenceStatus',
  description: 'Where a resident’s claim to live in a household stands',
  valuesConfig: {
    CLAIMED: { description: 'Claimed by the resident, waiting for a grid worker or committee member' },
    CONFIRMED: { description: 'Confirmed: the resident’s points count toward tiers' },
    REJECTED: { description: 'Rejected; the resident may claim again' },
    REVOKED: { description: 'A confirmation taken back' },
  },
});

@ObjectType('Residence', { description: 'Where a resident lives and whether staff confirmed it' })
export class ResidenceType {
  @Field(() => ResidenceStatus)
  status!: ResidenceStatus;

  @Field(() => DateTimeISOResolver)
  claimedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the current confirmation was given' })
  confirmedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the latest decision was taken' })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why a claim was rejected or a confirmation revoked' })
  reason!: string | null;

  @Field(() => Int, { description: 'Increases with every decision' })
  version!: number;
}

@InputType('HouseholdAddressInput', { description: 'A household of your community by its address' })
export class HouseholdAddressInput {
  @Field({ description: 'e.g. 3栋' })
  building!: string;

  @Field({ description: 'e.g. 1单元' })
  unit!: string;

  @Field({ description: 'e.g. 502' })
  room!: string;
}

export { ResidenceStatus };
