import { ConnectionType } from '@taoyuan/service-kit';
import { DateTimeISOResolver, SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Direction, ExpenseStatus, FundKind, IncomeCategory, SpendingCategory } from './enums';

@ObjectType('Fund', { description: 'A community fund; its balance is the sum of its ledger entries' })
export class FundType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field(() => FundKind)
  kind!: FundKind;

  @Field()
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The campaign of a DESIGNATED fund' })
  campaignId!: string | null;

  @Field(() => SafeIntResolver, { description: 'Balance in fen, never below zero' })
  balanceFen!: number;
}

@ObjectType('LedgerEntry', { description: 'One line of the append-only ledger; corrections are reversing entries' })
export class LedgerEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => Direction)
  direction!: Direction;

  @Field({ description: 'An IncomeCategory, a SpendingCategory or REVERSAL' })
  category!: string;

  @Field(() => SafeIntResolver, { description: 'Amount in fen, always positive' })
  amountFen!: number;

  @Field({ description: 'BOOKING, MARKETPLACE_INCOME, DONATION, EXPENSE, INCOME or REVERSAL' })
  sourceType!: string;

  @Field(() => ID, { nullable: true, description: 'The entry a REVERSAL takes back' })
  reversesEntryId!: string | null;

  @Field()
  memo!: string;

  @Field(() => ID, { nullable: true, description: 'Staff member who approved it (none for automatic income)' })
  approvedBy!: string | null;

  @Field(() => DateTimeISOResolver)
  occurredAt!: Date;

  @Field(() => DateTimeISOResolver)
  recordedAt!: Date;
}

export const LedgerEntryConnection = ConnectionType(LedgerEntryType, 'LedgerEntry');

@ObjectType('Expense', { description: 'Spending proposed by a community worker, approved by the committee' })
export class ExpenseType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  fundId!: string;

  @Field(() => SpendingCategory)
  category!: SpendingCategory;

  @Field(() => SafeIntResolver)
  amountFen!: number;

  @Field()
  payee!: string;

  @Field()
  purpose!: string;

  @Field()
  receiptReference!: string;

  @Field(() => ExpenseStatus)
  status!: ExpenseStatus;

  @Field(() => Int, { description: '2 above the community’s threshold (default 5,000 元), else 1' })
  approvalsRequired!: number;

  @Field(() => ID)
  proposedBy!: string;

  @Field(() => String, { nullable: true })
  rejectReason!: string | null;

  @Field(() => ID, { nullable: true, description: 'The OUT entry once approved' })
  entryId!: string | null;

  @Field(() => DateTimeISOResolver)
  createdAt!: Date;
}

export const ExpenseConnection = ConnectionType(ExpenseType, 'Expense');

@InputType('RecordIncomeInput')
export class RecordIncomeInput {
  @Field(() => ID)
  fundId!: string;

  @Field(() => IncomeCategory, { description: 'GRANT, SERVICE_BUSINESS_INCOME or OTHER_INCOME' })
  category!: IncomeCategory;

  @Field(() => SafeIntResolver)
  amountFen!: number;

  @Field()
  memo!: string;

  @Field({ description: 'The payer’s reference (grant letter, transfer number); one entry per reference and fund' })
  sourceReference!: string;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the money arrived; default now' })
  occurredAt?: Date | null;
}

@InputType('ProposeExpenseInput')
export class ProposeExpenseInput {
  @Field(() => ID)
  fundId!: string;

  @Field(() => SpendingCategory)
  category!: SpendingCategory;

  @Field(() => SafeIntResolver)
  amountFen!: number;

  @Field()
  payee!: string;

  @Field()
  purpose!: string;

  @Field()
  receiptReference!: string;
}
