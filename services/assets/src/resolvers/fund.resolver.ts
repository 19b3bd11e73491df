import {
  BadUserInputError,
  isUuid,
  requireCaller,
  requireUuid,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FundQueries } from '../domain/fund-queries';
import type { FundService } from '../domain/fund.service';
import type { ExpenseEntity } from '../entities/expense.entity';
import type { FundEntity } from '../entities/fund.entity';
import type { LedgerEntryEntity } from '../entities/ledger-entry.entity';
import { ExpenseStatus, FundKind } from '../schema/enums';
import {
  ExpenseConnection,
  ExpenseType,
  FundType,
  LedgerEntryConnection,
  LedgerEntryType,
  ProposeExpenseInput,
  RecordIncomeInput,
} from '../schema/fund.type';
import { UserRef } from '../schema/refs.type';

@Resolver(() => FundType)
export class FundResolver {
  constructor(
    private readonly service: FundService,
    private readonly queries: FundQueries,
  ) {}

  @Query(() => [FundType], { description: 'Funds of your community (its residents and staff)' })
  funds(
    @Ctx() context: ServiceContext,
    @Arg('communityId', () => ID, { nullable: true }) communityId: string | null,
  ): Promise<FundEntity[]> {
    const caller = requireCaller(context);
    return this.queries.fundsOf(caller, communityId ? requireUuid(communityId, 'communityId') : caller.communityId);
  }

  @Query(() => FundType, { nullable: true })
  fund(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<FundEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.queries.fund(context.caller, id.toLowerCase());
  }

  @Query(() => ExpenseConnection, { description: 'Expenses of your community, newest first (staff)' })
  expenses(
    @Ctx() context: ServiceContext,
    @Arg('status', () => ExpenseStatus, { nullable: true }) status: ExpenseStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<ExpenseEntity>> {
    const caller = requireCaller(context);
    return this.queries.expenses(caller, caller.communityId, status, first, after);
  }

  @FieldResolver(() => LedgerEntryConnection, { description: 'Newest first' })
  entries(
    @Root() fund: FundEntity,
    @Ctx() context: ServiceContext,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<LedgerEntryEntity>> {
    return this.queries.entries(context, fund, first, after);
  }

  @Mutation(() => FundType, {
    description:
      'Open your community’s UNRESTRICTED or PUBLIC_WELFARE fund (staff); DESIGNATED funds open with campaigns',
  })
  openFund(@Ctx() context: ServiceContext, @Arg('kind', () => FundKind) kind: FundKind): Promise<FundEntity> {
    if (kind === FundKind.DESIGNATED)
      throw new BadUserInputError('A designated fund opens when its campaign is approved', 'kind');
    return this.service.openGeneralFund(context, kind);
  }

  @Mutation(() => LedgerEntryType, { description: 'Record a grant or other income into a fund (staff)' })
  recordIncome(
    @Ctx() context: ServiceContext,
    @Arg('input', () => RecordIncomeInput) input: RecordIncomeInput,
  ): Promise<LedgerEntryEntity> {
    return this.service.recordIncome(context, { ...input, fundId: requireUuid(input.fundId, 'fundId') });
  }

  @Mutation(() => ExpenseType, { description: 'Propose spending from a fund (a community worker)' })
  proposeExpense(
    @Ctx() context: ServiceContext,
    @Arg('input', () => ProposeExpenseInput) input: ProposeExpenseInput,
  ): Promise<ExpenseEntity> {
    return this.service.proposeExpense(context, { ...input, fundId: requireUuid(input.fundId, 'fundId') });
  }

  @Mutation(() => ExpenseType, {
    description: 'Approve an expense (a committee member other than the proposer); the last approval pays it',
  })
  approveExpense(
    @Ctx() context: ServiceContext,
    @Arg('expenseId', () => ID) expenseId: string,
  ): Promise<ExpenseEntity> {
    return this.service.approveExpense(context, requireUuid(expenseId, 'expenseId'));
  }

  @Mutation(() => ExpenseType, { description: 'Reject an expense with a reason (a committee member)' })
  rejectExpense(
    @Ctx() context: ServiceContext,
    @Arg('expenseId', () => ID) expenseId: string,
    @Arg('reason') reason: string,
  ): Promise<ExpenseEntity> {
    return this.service.rejectExpense(context, requireUuid(expenseId, 'expenseId'), reason);
  }
}

@Resolver(() => ExpenseType)
export class ExpenseResolver {
  constructor(private readonly queries: FundQueries) {}

  @FieldResolver(() => [UserRef], { description: 'Committee members who approved it so far' })
  async approvedBy(@Root() expense: ExpenseEntity, @Ctx() context: ServiceContext): Promise<UserRef[]> {
    return (await this.queries.approvalsOf(context, expense.id)).map((id) => ({ id }));
  }
}
