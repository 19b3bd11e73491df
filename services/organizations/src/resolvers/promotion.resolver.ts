import {
  NotFoundError,
  pageArgs,
  sequenceCursor,
  requireCaller,
  requireUuid,
  toConnection,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { PromotionStatus } from '../domain/ladder';
import { requireCandidateReader } from '../domain/organization-policy';
import type { PromotionService } from '../domain/promotion.service';
import { findOpenMembership } from '../domain/records';
import { MembershipEntity } from '../entities/membership.entity';
import { OrganizationEntity } from '../entities/organization.entity';
import { PromotionCandidateEntity } from '../entities/promotion-candidate.entity';
import { MembershipType, PromotionCandidateConnection, PromotionCandidateType } from '../schema/membership.type';
import { OrganizationType } from '../schema/organization.type';
import { userRef, UserRef } from '../schema/user-ref.type';
import { seqOf, type SeqCursor } from './cursors';
import { loadOrganization } from './loaders';

@Resolver(() => PromotionCandidateType)
export class PromotionResolver {
  constructor(
    private readonly db: DataSource,
    private readonly promotions: PromotionService,
  ) {}

  @Query(() => PromotionCandidateConnection, {
    description: 'Promotion candidates of an organization, oldest first: for its leaders and the community committee',
  })
  async promotionCandidates(
    @Ctx() context: ServiceContext,
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('status', () => PromotionStatus, { nullable: true, description: 'Default ELIGIBLE' })
    status?: PromotionStatus | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Connection<PromotionCandidateEntity>> {
    const caller = requireCaller(context);
    const id = requireUuid(organizationId, 'organizationId');
    const page = pageArgs(first, after, sequenceCursor);
    const organization = await this.db.getRepository(OrganizationEntity).findOneBy({ id });
    if (!organization) throw new NotFoundError('Organization', id);
    requireCandidateReader(caller, organization, await findOpenMembership(this.db.manager, id, caller.userId));
    const query = this.db
      .getRepository(PromotionCandidateEntity)
      .createQueryBuilder('candidate')
      .where('candidate.organization_id = :id AND candidate.status = :status', {
        id,
        status: status ?? PromotionStatus.ELIGIBLE,
      })
      .orderBy('candidate.seq', 'ASC')
      .take(page.limit + 1);
    if (page.after) query.andWhere('candidate.seq > :seq', { seq: seqOf(page.after) });
    const rows = await query.getMany();
    return toConnection(rows, page.limit, (row): SeqCursor => [row.seq]);
  }

  @Mutation(() => PromotionCandidateType, {
    description:
      'Approve a promotion: ACTIVIST and BACKBONE by a LEADER of the organization, LEADER by a committee member. The membership moves up one step',
  })
  approvePromotion(@Ctx() context: ServiceContext, @Arg('candidateId', () => ID) candidateId: string) {
    return this.promotions.approve(requireCaller(context), requireUuid(candidateId, 'candidateId'));
  }

  @Mutation(() => PromotionCandidateType, {
    description: 'Decline a promotion, with a reason; only a new tier raises it again',
  })
  declinePromotion(
    @Ctx() context: ServiceContext,
    @Arg('candidateId', () => ID) candidateId: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.promotions.decline(requireCaller(context), requireUuid(candidateId, 'candidateId'), reason);
  }

  @FieldResolver(() => OrganizationType)
  organization(@Root() candidate: PromotionCandidateEntity, @Ctx() context: ServiceContext) {
    return loadOrganization(this.db, context, candidate.organizationId);
  }

  @FieldResolver(() => MembershipType)
  membership(@Root() candidate: PromotionCandidateEntity) {
    return this.db.getRepository(MembershipEntity).findOneByOrFail({ id: candidate.membershipId });
  }

  @FieldResolver(() => UserRef, { description: 'The resident to promote' })
  user(@Root() candidate: PromotionCandidateEntity): UserRef {
    return userRef(candidate.userId);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  decidedBy(@Root() candidate: PromotionCandidateEntity): UserRef | null {
    return candidate.decidedBy ? userRef(candidate.decidedBy) : null;
  }
}
