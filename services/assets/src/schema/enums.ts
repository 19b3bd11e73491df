import { registerEnumType } from 'type-graphql';
import {
  AssetKind,
  AssetStatus,
  Booker,
  BookingStatus,
  CampaignStatus,
  Direction,
  DonationStatus,
  ExpenseStatus,
  FundKind,
  IncomeCategory,
  SpendingCategory,
  VoteChoice,
} from '../domain/vocabulary';

registerEnumType(AssetKind, {
  name: 'AssetKind',
  valuesConfig: {
    FACILITY: { description: '场地: bookable (会所多功能厅, 图书馆阅览室, 长者食堂, 篮球场, 市民广场)' },
    EQUIPMENT: { description: '设备' },
    PROPERTY: { description: '物业, e.g. a shop let to a tenant' },
  },
});
registerEnumType(AssetStatus, { name: 'AssetStatus' });
registerEnumType(Booker, {
  name: 'Booker',
  description: 'Who may book a facility',
  valuesConfig: {
    RESIDENT: { description: 'Any resident of the community, for themselves' },
    ORGANIZATION: { description: 'A backbone or leader of a community organization, on its behalf' },
    STAFF: { description: 'Community workers and the committee' },
  },
});
registerEnumType(BookingStatus, {
  name: 'BookingStatus',
  valuesConfig: {
    PENDING_APPROVAL: { description: 'More people than the facility lets in without staff approval; holds the slot' },
    CONFIRMED: { description: 'The slot is the booker’s' },
    REJECTED: { description: 'Staff declined it' },
    CANCELLED: { description: 'Cancelled by the booker or staff; a paid fee was reversed' },
  },
});
registerEnumType(FundKind, {
  name: 'FundKind',
  valuesConfig: {
    UNRESTRICTED: { description: '一般资金' },
    PUBLIC_WELFARE: {
      description:
        '公益金: facility fees and community-run business income; out only as public-welfare expense or worker pay',
    },
    DESIGNATED: { description: '专项资金: one per campaign, only for its purpose' },
  },
});
registerEnumType(Direction, { name: 'LedgerDirection' });
registerEnumType(IncomeCategory, { name: 'IncomeCategory' });
registerEnumType(SpendingCategory, {
  name: 'SpendingCategory',
  valuesConfig: {
    PUBLIC_WELFARE_EXPENSE: { description: '公益支出 (allowed from PUBLIC_WELFARE)' },
    WORKER_PAY: { description: '社区工作者薪酬 (allowed from PUBLIC_WELFARE)' },
    OPERATING_EXPENSE: { description: '运营支出 (UNRESTRICTED only)' },
    CAMPAIGN_EXPENSE: { description: '专项支出 (a campaign’s DESIGNATED fund only)' },
  },
});
registerEnumType(ExpenseStatus, { name: 'ExpenseStatus' });
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  valuesConfig: {
    VOTING: { description: 'Households vote until opensAt' },
    AWAITING_APPROVAL: { description: 'Waits for a committee member’s approval' },
    OPEN: { description: 'Approved; its designated fund takes donations from opensAt to closesAt' },
    REJECTED: { description: 'The vote or the committee said no' },
    CLOSED: { description: 'No more donations' },
  },
});
registerEnumType(VoteChoice, { name: 'VoteChoice' });
registerEnumType(DonationStatus, {
  name: 'DonationStatus',
  valuesConfig: {
    PLEDGED: { description: 'Promised; staff confirm when the money arrives' },
    CONFIRMED: { description: 'Received: in the ledger, with a receipt number' },
  },
});

export {
  AssetKind,
  AssetStatus,
  Booker,
  BookingStatus,
  CampaignStatus,
  Direction,
  DonationStatus,
  ExpenseStatus,
  FundKind,
  IncomeCategory,
  SpendingCategory,
  VoteChoice,
};
