/** The words of the assets service, shared by entities, domain and schema. */

export enum AssetKind {
  FACILITY = 'FACILITY',
  EQUIPMENT = 'EQUIPMENT',
  PROPERTY = 'PROPERTY',
}

export enum AssetStatus {
  IN_USE = 'IN_USE',
  UNDER_MAINTENANCE = 'UNDER_MAINTENANCE',
  LET = 'LET',
  RETIRED = 'RETIRED',
}

export enum Booker {
  RESIDENT = 'RESIDENT',
  ORGANIZATION = 'ORGANIZATION',
  STAFF = 'STAFF',
}

export enum BookingStatus {
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}

export enum FundKind {
  UNRESTRICTED = 'UNRESTRICTED',
  PUBLIC_WELFARE = 'PUBLIC_WELFARE',
  DESIGNATED = 'DESIGNATED',
}

export enum Direction {
  IN = 'IN',
  OUT = 'OUT',
}

export enum IncomeCategory {
  FACILITY_FEE = 'FACILITY_FEE',
  SERVICE_BUSINESS_INCOME = 'SERVICE_BUSINESS_INCOME',
  DONATION = 'DONATION',
  GRANT = 'GRANT',
  OTHER_INCOME = 'OTHER_INCOME',
}

export enum SpendingCategory {
  PUBLIC_WELFARE_EXPENSE = 'PUBLIC_WELFARE_EXPENSE',
  WORKER_PAY = 'WORKER_PAY',
  OPERATING_EXPENSE = 'OPERATING_EXPENSE',
  CAMPAIGN_EXPENSE = 'CAMPAIGN_EXPENSE',
}

export type LedgerCategory = IncomeCategory | SpendingCategory | 'REVERSAL';

export type LedgerSource = 'BOOKING' | 'MARKETPLACE_INCOME' | 'DONATION' | 'EXPENSE' | 'INCOME' | 'REVERSAL' | 'SEED';

export enum ExpenseStatus {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

export enum CampaignStatus {
  VOTING = 'VOTING',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  OPEN = 'OPEN',
  REJECTED = 'REJECTED',
  CLOSED = 'CLOSED',
}

export enum VoteChoice {
  YES = 'YES',
  NO = 'NO',
  ABSTAIN = 'ABSTAIN',
}

export enum DonationStatus {
  PLEDGED = 'PLEDGED',
  CONFIRMED = 'CONFIRMED',
}

/** Opening hours of one ISO weekday (1 = Monday … 7 = Sunday), local "HH:MM" times; closes after opens. */
export interface OpeningHours {
  weekday: number;
  opens: string;
  closes: string;
}

/** Where the assets service reckons days and months: the community's local time. */
export const REPORT_TIME_ZONE = 'Asia/Shanghai';
