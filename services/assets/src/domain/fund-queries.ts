import {
  ForbiddenError,
  loadKeyed,
  loadWindowedPage,
  NotFoundError,
  pageArgs,
  timeAndIdCursor,
  toConnection,
  type Caller,
  type Connection,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { In, type DataSource } from 'typeorm';
import { ExpenseEntity } from '../entities/expense.entity';
import { FundEntity } from '../entities/fund.entity';
import { LedgerEntryEntity } from '../entities/ledger-entry.entity';
import { isMemberOf, isStaffOf } from './access';
import type { ExpenseStatus } from './vocabulary';

function keyset(cursor: [number, string] | null, column: string, values: unknown[]): string {
  if (!cursor) return '';
  values.push(new Date(cursor[0]), cursor[1]);
  return ` AND (${column}, id) < ($${values.length - 1}, $${values.length})`;
}

/**
 * Reads of funds, their entries and expenses. Residents of the community see its funds and every entry (the
 * transparency report is public anyway, in aggregate); expenses waiting for approval are for staff.
 */
export class FundQueries {
  constructor(private readonly db: DataSource) {}

  /** The one visibility rule for funds, used by `funds` and by `Community.funds`. */
  async fundsOf(caller: Caller | null, communityId: string): Promise<FundEntity[]> {
    if (!isMemberOf(caller, communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'Only the community’s residents and staff see its funds');
    return this.db.manager.find(FundEntity, { where: { communityId }, order: { kind: 'ASC', createdAt: 'ASC' } });
  }

  /** `fundsOf` for every community of the request (`Community.funds` of many communities) in one statement. */
  async fundsOfCommunity(context: ServiceContext, communityId: string): Promise<FundEntity[]> {
    if (!isMemberOf(context.caller, communityId))
      throw new ForbiddenError('OTHER_COMMUNITY', 'Only the community’s residents and staff see its funds');
    return loadKeyed<FundEntity[]>(
      context.loaders,
      'community-funds',
      communityId,
      async (communityIds) => {
        const rows = await this.db.manager.find(FundEntity, {
          where: { communityId: In(communityIds) },
          order: { kind: 'ASC', createdAt: 'ASC' },
        });
        const byCommunity = new Map<string, FundEntity[]>();
        for (const row of rows) byCommunity.set(row.communityId, [...(byCommunity.get(row.communityId) ?? []), row]);
        return byCommunity;
      },
      [],
    );
  }

  async fund(caller: Caller | null, id: string): Promise<FundEntity | null> {
    const fund = await this.db.manager.findOneBy(FundEntity, { id });
    return fund && isMemberOf(caller, fund.communityId) ? fund : null;
  }

  /** A fund's ledger, newest first: one page per fund, every fund of the request in one windowed statement. */
  entries(
    context: ServiceContext,
    fund: FundEntity,
    first: number | null,
    after: string | null,
  ): Promise<Connection<LedgerEntryEntity>> {
    const page = pageArgs(first, after, timeAndIdCursor);
    return loadWindowedPage({
      db: this.db,
      loaders: context.loaders,
      name: 'fund-entries',
      parentId: fund.id,
      list: { from: 'ledger_entries', parent: 'fund_id', orderBy: ['occurred_at', 'id'], direction: 'DESC' },
      page: { limit: page.limit, after: page.after && [new Date(page.after[0]), page.after[1]] },
      load: (ids) => this.db.manager.findBy(LedgerEntryEntity, { id: In(ids) }),
      cursorOf: (row) => [row.occurredAt.getTime(), row.id],
    });
  }

  async expenses(
    caller: Caller,
    communityId: string,
    status: ExpenseStatus | null,
    first: number | null,
    after: string | null,
  ): Promise<Connection<ExpenseEntity>> {
    if (!isStaffOf(caller, communityId))
      throw new ForbiddenError('STAFF_ONLY', 'Only the community’s staff see expenses under decision');
    const { limit, after: cursor } = pageArgs(first, after, timeAndIdCursor);
    const values: unknown[] = [communityId, status];
    const where = keyset(cursor, 'created_at', values);
    values.push(limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM expenses WHERE community_id = $1 AND ($2::text IS NULL OR status = $2)${where}
        ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    const rows = await this.db.manager.findBy(ExpenseEntity, { id: In(ids.map((row) => row.id)) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ordered = ids.map((row) => byId.get(row.id)).filter((row): row is ExpenseEntity => !!row);
    return toConnection(ordered, limit, (row) => [row.createdAt.getTime(), row.id]);
  }

  /** Who approved each expense of the request, in approval order, in one statement. */
  approvalsOf(context: ServiceContext, expenseId: string): Promise<string[]> {
    return loadKeyed<string[]>(
      context.loaders,
      'expense-approvals',
      expenseId,
      async (expenseIds) => {
        const rows = await this.db.query<{ expense_id: string; approver_id: string }[]>(
          `SELECT expense_id, approver_id FROM expense_approvals WHERE expense_id = ANY($1) ORDER BY approved_at`,
          [expenseIds],
        );
        const byExpense = new Map<string, string[]>();
        for (const row of rows)
          byExpense.set(row.expense_id, [...(byExpense.get(row.expense_id) ?? []), row.approver_id]);
        return byExpense;
      },
      [],
    );
  }

  async requireFund(id: string): Promise<FundEntity> {
    const fund = await this.db.manager.findOneBy(FundEntity, { id });
    if (!fund) throw new NotFoundError('Fund', id);
    return fund;
  }
}
