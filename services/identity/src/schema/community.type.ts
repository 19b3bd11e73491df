import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType('Community', { description: 'A residential community (社区), the tenant everything belongs to' })
export class CommunityType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'City, e.g. 深圳市' })
  city!: string;

  @Field({ description: 'District, e.g. 宝安区' })
  district!: string;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

@ObjectType('Grid', { description: '网格: a block of buildings looked after by a grid leader' })
export class GridType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field()
  name!: string;
}

@ObjectType('Household', { description: 'A home: building / unit / room in a grid' })
export class HouseholdType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  gridId!: string;

  @Field({ description: 'e.g. 3栋' })
  building!: string;

  @Field({ description: 'e.g. 1单元' })
  unit!: string;

  @Field({ description: 'e.g. 502' })
  room!: string;
}
