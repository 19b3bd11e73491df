import { AssetEntity } from './asset.entity';
import { BookingEntity } from './booking.entity';
import { CampaignEntity } from './campaign.entity';
import { DonationEntity } from './donation.entity';
import { ExpenseEntity } from './expense.entity';
import { FacilityEntity } from './facility.entity';
import { FundEntity } from './fund.entity';
import { LedgerEntryEntity } from './ledger-entry.entity';

export {
  AssetEntity,
  BookingEntity,
  CampaignEntity,
  DonationEntity,
  ExpenseEntity,
  FacilityEntity,
  FundEntity,
  LedgerEntryEntity,
};
export const assetsEntities = [
  AssetEntity,
  FacilityEntity,
  BookingEntity,
  FundEntity,
  LedgerEntryEntity,
  ExpenseEntity,
  CampaignEntity,
  DonationEntity,
];
