import {
  ForbiddenError,
  hasAnyRole,
  requireCaller,
  STAFF_ROLES,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { OpportunityQueries } from '../domain/opportunity-queries';
import type { AccountView, PointsAccounts } from '../domain/points-accounts';
import type { SignUpEntity } from '../entities/sign-up.entity';
import { SignUpStatus } from '../schema/enums';
import { PointsAccountType } from '../schema/points.type';
import { UserRef } from '../schema/refs.type';
import { SignUpConnection } from '../schema/sign-up.type';

/**
 * Volunteering's fields on identity's User. Only the resident themselves, or staff of their community, see them;
 * staff see only what happened in their own community.
 */
@Resolver(() => UserRef)
export class UserResolver {
  constructor(
    private readonly accounts: PointsAccounts,
    private readonly queries: OpportunityQueries,
  ) {}

  @FieldResolver(() => PointsAccountType, { description: 'Public-welfare points (the resident and staff only)' })
  pointsAccount(@Root() user: UserRef, @Ctx() context: ServiceContext): Promise<AccountView> {
    return this.accounts.accountOf(context, user.id);
  }

  @FieldResolver(() => SignUpConnection, { description: 'Shifts signed up for, newest first' })
  signUps(
    @Root() user: UserRef,
    @Ctx() context: ServiceContext,
    @Arg('status', () => SignUpStatus, { nullable: true }) status: SignUpStatus | null,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<SignUpEntity>> {
    return this.queries.signUpsOf(context, user.id, this.communityScope(context, user.id), status, first, after);
  }

  @FieldResolver(() => Float, { description: 'Total verified volunteer hours' })
  volunteerHours(@Root() user: UserRef, @Ctx() context: ServiceContext): Promise<number> {
    return this.queries.volunteerHours(context, user.id, this.communityScope(context, user.id));
  }

  /** null = everything (the resident themselves); a community id = staff, limited to their community. */
  private communityScope(context: ServiceContext, userId: string): string | null {
    const caller = requireCaller(context);
    if (caller.userId === userId) return null;
    if (hasAnyRole(caller, STAFF_ROLES)) return caller.communityId;
    throw new ForbiddenError('NOT_YOURS', 'Only the volunteer and their community’s staff see this');
  }
}
