import { requireUuid, isUuid, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { NeedQueries } from '../domain/need-queries';
import type { NeedService } from '../domain/need.service';
import type { NeedEntity } from '../entities/need.entity';
import { NeedConnection, NeedFilter, NeedType, PostNeedInput } from '../schema/order.type';
import { UserRef } from '../schema/refs.type';

@Resolver(() => NeedType)
export class NeedResolver {
  constructor(
    private readonly service: NeedService,
    private readonly queries: NeedQueries,
  ) {}

  @Query(() => NeedType, { nullable: true })
  need(@Arg('id', () => ID) id: string, @Ctx() context: ServiceContext): Promise<NeedEntity | null> {
    return isUuid(id) ? this.queries.visible(context, id.toLowerCase()) : Promise.resolve(null);
  }

  @Query(() => NeedConnection, { description: 'The needs board of your community, newest first' })
  needs(
    @Ctx() context: ServiceContext,
    @Arg('filter', () => NeedFilter, { nullable: true }) filter: NeedFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<NeedEntity>> {
    return this.queries.list(context, filter ?? {}, first, after);
  }

  @Mutation(() => NeedType, {
    description: 'Ask neighbours for help; a reward is escrowed from your points first (PENDING_ESCROW → OPEN)',
  })
  postNeed(
    @Ctx() context: ServiceContext,
    @Arg('input', () => PostNeedInput) input: PostNeedInput,
  ): Promise<NeedEntity> {
    return this.service.post(context, input);
  }

  @Mutation(() => NeedType, { description: 'Offer to help: another household of the same community' })
  claimNeed(@Ctx() context: ServiceContext, @Arg('needId', () => ID) needId: string): Promise<NeedEntity> {
    return this.service.claim(context, requireUuid(needId, 'needId'));
  }

  @Mutation(() => NeedType, { description: 'The helper steps back; the need is open again' })
  withdrawClaim(@Ctx() context: ServiceContext, @Arg('needId', () => ID) needId: string): Promise<NeedEntity> {
    return this.service.withdrawClaim(context, requireUuid(needId, 'needId'));
  }

  @Mutation(() => NeedType, { description: 'The poster confirms the help; the helper receives the reward once' })
  fulfilNeed(@Ctx() context: ServiceContext, @Arg('needId', () => ID) needId: string): Promise<NeedEntity> {
    return this.service.fulfil(context, requireUuid(needId, 'needId'));
  }

  @Mutation(() => NeedType, { description: 'The poster, before fulfilment; the escrow is refunded' })
  cancelNeed(@Ctx() context: ServiceContext, @Arg('needId', () => ID) needId: string): Promise<NeedEntity> {
    return this.service.cancel(context, requireUuid(needId, 'needId'));
  }

  @FieldResolver(() => UserRef)
  postedBy(@Root() need: NeedEntity): UserRef {
    return { id: need.postedBy };
  }

  @FieldResolver(() => UserRef, { nullable: true })
  claimedBy(@Root() need: NeedEntity): UserRef | null {
    return need.claimedBy ? { id: need.claimedBy } : null;
  }
}
