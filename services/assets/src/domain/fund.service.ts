import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  requireCaller,
  type AuthContext,
} from '@taoyuan/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { ExpenseEntity } from '../entities/expense.entity';
import { FundEntity } from '../entities/fund.entity';
import type { LedgerEntryEntity } from '../entities/ledger-entry.entity';
import { requireCommitteeOf, requireStaffOf, requireWorkerOf } from './access';
import { approvalsRequired } from './governance-rules';
import { requireFen, requireText, requireValidDate } from './input';
import type { Ledger } from './ledger';
import { Direction, ExpenseStatus, FundKind, IncomeCategory, SpendingCategory } from './vocabulary';

export interface IncomeInput {
  fundId: string;
  category: IncomeCategory;
  amountFen: number;
  memo: string;
  /** The payer's reference (a grant letter, a bank transfer); one entry per reference and fund. */
  sourceReference: string;
  occurredAt?: Date | null;
}

export interface ExpenseInput {
  fundId: string;
  category: SpendingCategory;
  amountFen: number;
  payee: string;
  purpose: string;
  receiptReference: string;
}

/** Staff recording income, and the two-person rule for spending: a worker proposes, committee members approve. */
export class FundService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: Ledger,
    private readonly secondApprovalAboveFen: number,
  ) {}

  /** The community's UNRESTRICTED or PUBLIC_WELFARE fund (staff); opening an open fund returns it. */
  async openGeneralFund(
    context: AuthContext,
    kind: FundKind.UNRESTRICTED | FundKind.PUBLIC_WELFARE,
  ): Promise<FundEntity> {
    const caller = requireCaller(context);
    requireStaffOf(caller, caller.communityId);
    return this.db.transaction((manager) => this.ledger.generalFund(manager, caller.communityId, kind));
  }

  /** Grants and other income; donations, facility fees and business income arrive through their own paths. */
  async recordIncome(context: AuthContext, input: IncomeInput): Promise<LedgerEntryEntity> {
    const caller = requireCaller(context);
    if (input.category === IncomeCategory.DONATION || input.category === IncomeCategory.FACILITY_FEE)
      throw new BadUserInputError('Donations and facility fees are recorded by confirming them', 'category');
    const amountFen = requireFen(input.amountFen);
    const memo = requireText(input.memo, 'memo', 1, 500, true);
    const reference = requireText(input.sourceReference, 'sourceReference', 1, 120);
    const occurredAt = input.occurredAt ? requireValidDate(input.occurredAt, 'occurredAt') : new Date();
    if (occurredAt.getTime() > Date.now() + 60_000)
      throw new BadUserInputError('occurredAt cannot be in the future', 'occurredAt');
    return this.db.transaction(async (manager) => {
      const fund = await this.fundOf(manager, input.fundId);
      requireStaffOf(caller, fund.communityId);
      return this.ledger.append(manager, {
        fundId: fund.id,
        communityId: fund.communityId,
        direction: Direction.IN,
        category: input.category,
        amountFen,
        source: { type: 'INCOME', id: `${fund.id}:${reference}` },
        memo,
        recordedBy: caller.userId,
        approvedBy: caller.userId,
        occurredAt,
      });
    });
  }

  async proposeExpense(context: AuthContext, input: ExpenseInput): Promise<ExpenseEntity> {
    const caller = requireCaller(context);
    const values = {
      amountFen: requireFen(input.amountFen),
      payee: requireText(input.payee, 'payee', 1, 120),
      purpose: requireText(input.purpose, 'purpose', 1, 500, true),
      receiptReference: requireText(input.receiptReference, 'receiptReference', 1, 120),
    };
    return this.db.transaction(async (manager) => {
      const fund = await this.fundOf(manager, input.fundId);
      requireWorkerOf(caller, fund.communityId);
      assertRestrictionAllows(fund, input.category);
      const id = randomUUID();
      await manager.insert(ExpenseEntity, {
        id,
        communityId: fund.communityId,
        fundId: fund.id,
        category: input.category,
        ...values,
        status: ExpenseStatus.PROPOSED,
        approvalsRequired: approvalsRequired(values.amountFen, this.secondApprovalAboveFen),
        proposedBy: caller.userId,
      });
      return manager.findOneByOrFail(ExpenseEntity, { id });
    });
  }

  /** One committee approval; the last one needed pays the expense out of its fund in the same transaction. */
  async approveExpense(context: AuthContext, expenseId: string): Promise<ExpenseEntity> {
    const caller = requireCaller(context);
    return this.db.transaction(async (manager) => {
      const expense = await this.lockProposed(manager, expenseId);
      requireCommitteeOf(caller, expense.communityId);
      if (expense.proposedBy === caller.userId)
        throw new ForbiddenError('OWN_EXPENSE', 'Whoever proposed an expense cannot approve it');
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO expense_approvals (expense_id, approver_id, proposed_by) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING expense_id`,
        [expense.id, caller.userId, expense.proposedBy],
      );
      if (inserted.length === 0)
        throw new ConflictError('ALREADY_APPROVED', 'You already approved this expense: it needs another member');
      const [{ approvals }] = await manager.query<{ approvals: number }[]>(
        `SELECT count(*)::int AS approvals FROM expense_approvals WHERE expense_id = $1`,
        [expense.id],
      );
      if (approvals >= expense.approvalsRequired) {
        const fund = await manager.findOneByOrFail(FundEntity, { id: expense.fundId });
        const entry = await this.ledger.append(manager, {
          fundId: fund.id,
          communityId: fund.communityId,
          direction: Direction.OUT,
          category: expense.category,
          amountFen: expense.amountFen,
          source: { type: 'EXPENSE', id: expense.id },
          campaignId: fund.campaignId,
          memo: `${expense.payee}：${expense.purpose}`.slice(0, 500),
          recordedBy: expense.proposedBy,
          approvedBy: caller.userId,
        });
        await manager.update(
          ExpenseEntity,
          { id: expense.id },
          { status: ExpenseStatus.APPROVED, entryId: entry.id, decidedAt: () => 'clock_timestamp()' },
        );
      }
      return manager.findOneByOrFail(ExpenseEntity, { id: expense.id });
    });
  }

  async rejectExpense(context: AuthContext, expenseId: string, reason: string): Promise<ExpenseEntity> {
    const caller = requireCaller(context);
    const why = requireText(reason, 'reason', 1, 500, true);
    return this.db.transaction(async (manager) => {
      const expense = await this.lockProposed(manager, expenseId);
      requireCommitteeOf(caller, expense.communityId);
      if (expense.proposedBy === caller.userId)
        throw new ForbiddenError('OWN_EXPENSE', 'Whoever proposed an expense cannot decide on it');
      await manager.update(
        ExpenseEntity,
        { id: expense.id },
        {
          status: ExpenseStatus.REJECTED,
          rejectedBy: caller.userId,
          rejectReason: why,
          decidedAt: () => 'clock_timestamp()',
        },
      );
      return manager.findOneByOrFail(ExpenseEntity, { id: expense.id });
    });
  }

  private async fundOf(manager: EntityManager, fundId: string): Promise<FundEntity> {
    const fund = await manager.findOneBy(FundEntity, { id: fundId });
    if (!fund) throw new NotFoundError('Fund', fundId);
    return fund;
  }

  private async lockProposed(manager: EntityManager, expenseId: string): Promise<ExpenseEntity> {
    const expense = await manager.findOne(ExpenseEntity, {
      where: { id: expenseId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!expense) throw new NotFoundError('Expense', expenseId);
    if (expense.status !== ExpenseStatus.PROPOSED)
      throw new ConflictError('EXPENSE_DECIDED', `This expense is already ${expense.status.toLowerCase()}`);
    return expense;
  }
}

/** Said early, when the worker proposes; the database says it again when the money moves. */
function assertRestrictionAllows(fund: FundEntity, category: SpendingCategory): void {
  const allowed =
    fund.kind === FundKind.PUBLIC_WELFARE
      ? category === SpendingCategory.PUBLIC_WELFARE_EXPENSE || category === SpendingCategory.WORKER_PAY
      : fund.kind === FundKind.DESIGNATED
        ? category === SpendingCategory.CAMPAIGN_EXPENSE
        : category !== SpendingCategory.CAMPAIGN_EXPENSE;
  if (!allowed)
    throw new ConflictError(
      'FUND_RESTRICTED',
      fund.kind === FundKind.PUBLIC_WELFARE
        ? 'Public-welfare money goes out only as PUBLIC_WELFARE_EXPENSE or WORKER_PAY'
        : fund.kind === FundKind.DESIGNATED
          ? 'A campaign’s designated fund pays only CAMPAIGN_EXPENSE for its campaign'
          : 'CAMPAIGN_EXPENSE is paid from the campaign’s designated fund',
    );
}
