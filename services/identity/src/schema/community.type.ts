import { CALLER_INDEPENDENT } from '@taoyuan/service-kit';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive(CALLER_INDEPENDENT)
@Directive('@key(fields: "id")')
@ObjectType('Community', { description: 'A residential community (社区), the tenant everything belongs to' })
export class CommunityType {
  @Directive(CALLER_INDEPENDENT)
  @Field(() => ID)
  id!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field()
  name!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field({ description: 'City, e.g. 深圳市' })
  city!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field({ description: 'District, e.g. 宝安区' })
  district!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

@ObjectType('Grid', { description: '网格: a block of buildings looked after by a grid leader' })
export class GridType {
  @Directive(CALLER_INDEPENDENT)
  @Field(() => ID)
  id!: string;

  @Directive(CALLER_INDEPENDENT)
  @Field(() => ID)
  communityId!: string;

  @Directive(CALLER_INDEPENDENT)
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
