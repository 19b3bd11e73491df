import { randomUUID } from 'node:crypto';
import { ConflictError } from '@taoyuan/service-kit';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { FundEntity } from '../entities/fund.entity';
import { LedgerEntryEntity } from '../entities/ledger-entry.entity';
import type { AssetsEvents } from '../events/assets-events';
import { Direction, FundKind, type LedgerCategory, type LedgerSource } from './vocabulary';

export interface NewEntry {
  fundId: string;
  communityId: string;
  direction: Direction;
  category: LedgerCategory;
  amountFen: number;
  source: { type: LedgerSource; id: string };
  campaignId?: string | null;
  reversesEntryId?: string | null;
  memo?: string;
  recordedBy: string | null;
  approvedBy: string | null;
  occurredAt?: Date;
}

const FUND_NAMES: Record<Exclude<FundKind, FundKind.DESIGNATED>, string> = {
  [FundKind.UNRESTRICTED]: '社区一般资金',
  [FundKind.PUBLIC_WELFARE]: '社区公益金',
};

/**
 * The one way money moves: an appended ledger entry. The database trigger checks the fund's restriction, keeps the
 * balance (never below zero) and the daily roll-up; this class turns its refusals into CONFLICT reasons and writes
 * the public event in the same transaction. A source (booking, order, donation, expense) pays once: a second entry
 * for it is refused by a unique index, and `appendOnce` turns that into "already done".
 */
export class Ledger {
  constructor(private readonly events: AssetsEvents) {}

  async append(manager: EntityManager, entry: NewEntry): Promise<LedgerEntryEntity> {
    const id = randomUUID();
    await manager.query(`SAVEPOINT ledger_append`);
    try {
      await manager.insert(LedgerEntryEntity, {
        id,
        fundId: entry.fundId,
        communityId: entry.communityId,
        direction: entry.direction,
        category: entry.category,
        amountFen: entry.amountFen,
        sourceType: entry.source.type,
        sourceId: entry.source.id,
        campaignId: entry.campaignId ?? null,
        reversesEntryId: entry.reversesEntryId ?? null,
        memo: entry.memo ?? '',
        recordedBy: entry.recordedBy,
        approvedBy: entry.approvedBy,
        occurredAt: entry.occurredAt ?? new Date(),
      });
      await manager.query(`RELEASE SAVEPOINT ledger_append`);
    } catch (error) {
      await manager.query(`ROLLBACK TO SAVEPOINT ledger_append`);
      throw ledgerRefusal(error);
    }
    const saved = await manager.findOneByOrFail(LedgerEntryEntity, { id });
    const fund = await manager.findOneByOrFail(FundEntity, { id: entry.fundId });
    const fact = {
      entryId: saved.id,
      communityId: saved.communityId,
      fundId: saved.fundId,
      fundKind: fund.kind,
      amountFen: saved.amountFen,
      category: saved.category,
      approvedBy: saved.approvedBy,
      occurredAt: saved.occurredAt.toISOString(),
      recordedAt: saved.recordedAt.toISOString(),
    };
    if (saved.direction === Direction.IN) await this.events.incomeRecorded(manager, fact);
    else await this.events.expenseRecorded(manager, fact);
    return saved;
  }

  /** Appends unless the source already has its entry; returns null then (a redelivered event, a double click). */
  async appendOnce(manager: EntityManager, entry: NewEntry): Promise<LedgerEntryEntity | null> {
    const existing = await manager.findOneBy(LedgerEntryEntity, {
      sourceType: entry.source.type,
      sourceId: entry.source.id,
    });
    if (existing) return null;
    return this.append(manager, entry);
  }

  /** Takes one entry back with the mirror entry in the other direction (refused if the money is already spent). */
  async reverse(
    manager: EntityManager,
    original: LedgerEntryEntity,
    by: string,
    memo: string,
  ): Promise<LedgerEntryEntity> {
    return this.append(manager, {
      fundId: original.fundId,
      communityId: original.communityId,
      direction: original.direction === Direction.IN ? Direction.OUT : Direction.IN,
      category: 'REVERSAL',
      amountFen: original.amountFen,
      source: { type: 'REVERSAL', id: original.id },
      reversesEntryId: original.id,
      memo,
      recordedBy: by,
      approvedBy: by,
    });
  }

  /** The community's UNRESTRICTED or PUBLIC_WELFARE fund, opened on first use. */
  async generalFund(
    manager: EntityManager,
    communityId: string,
    kind: FundKind.UNRESTRICTED | FundKind.PUBLIC_WELFARE,
  ): Promise<FundEntity> {
    await manager.query(
      `INSERT INTO funds (id, community_id, kind, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (community_id, kind) WHERE kind <> 'DESIGNATED' DO NOTHING`,
      [randomUUID(), communityId, kind, FUND_NAMES[kind]],
    );
    return manager.findOneByOrFail(FundEntity, { communityId, kind });
  }
}

/** What the database said no to, as the client should hear it; anything else is a bug and stays one. */
export function ledgerRefusal(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const { constraint, code } = error.driverError as { constraint?: string; code?: string };
  if (constraint === 'funds_never_below_zero')
    return new ConflictError('INSUFFICIENT_FUNDS', 'The fund does not hold enough money for this');
  if (constraint === 'ledger_fund_restriction')
    return new ConflictError(
      'FUND_RESTRICTED',
      'This fund’s restriction forbids it: public-welfare money goes out only as public-welfare expense or worker pay, a designated fund only for its campaign',
    );
  if (
    constraint === 'ledger_reversal_mirrors' ||
    (code === '23505' && constraint === 'ledger_entries_reverses_entry_id_key')
  )
    return new ConflictError('ALREADY_REVERSED', 'This entry was already reversed');
  if (code === '23505' && constraint === 'ledger_entries_source_type_source_id_key')
    return new ConflictError('ALREADY_RECORDED', 'This source already has its ledger entry');
  return error;
}
