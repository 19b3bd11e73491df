import {
  ForbiddenError,
  NotFoundError,
  pageArgs,
  timeAndIdCursor,
  toConnection,
  type Caller,
  type Connection,
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

  async fund(caller: Caller | null, id: string): Promise<FundEntity | null> {
    const fund = await this.db.manager.findOneBy(FundEntity, { id });
    return fund && isMemberOf(caller, fund.communityId) ? fund : null;
  }

  async entries(fund: FundEntity, first: number | null, after: string | null): Promise<Connection<LedgerEntryEntity>> {
    const { limit, after: cursor } = pageArgs(first, after, timeAndIdCursor);
    const values: unknown[] = [fund.id];
    const where = keyset(cursor, 'occurred_at', values);
    values.push(limit + 1);
    const ids = await this.db.query<{ id: string }[]>(
      `SELECT id FROM ledger_entries WHERE fund_id = $1${where} ORDER BY occurred_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    const rows = await this.db.manager.findBy(LedgerEntryEntity, { id: In(ids.map((row) => row.id)) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ordered = ids.map((row) => byId.get(row.id)).filter((row): row is LedgerEntryEntity => !!row);
    return toConnection(ordered, limit, (row) => [row.occurredAt.getTime(), row.id]);
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

  async approvalsOf(expenseId: string): Promise<string[]> {
    const rows = await this.db.query<{ approver_id: string }[]>(
      `SELECT approver_id FROM expense_approvals WHERE expense_id = $1 ORDER BY approved_at`,
      [expenseId],
    );
    return rows.map((row) => row.approver_id);
  }

  async requireFund(id: string): Promise<FundEntity> {
    const fund = await this.db.manager.findOneBy(FundEntity, { id });
    if (!fund) throw new NotFoundError('Fund', id);
    return fund;
  }
}
