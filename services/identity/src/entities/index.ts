import { CommunityEntity } from './community.entity';
import { DataConsentEntity } from './data-consent.entity';
import { GridEntity } from './grid.entity';
import { HouseholdEntity } from './household.entity';
import { PartnerClientApprovalEntity, PartnerClientEntity } from './partner-client.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { ResidenceChangeEntity } from './residence-change.entity';
import { ResidenceEntity } from './residence.entity';
import { RoleChangeEntity } from './role-change.entity';
import { UserEntity } from './user.entity';

export {
  CommunityEntity,
  DataConsentEntity,
  GridEntity,
  HouseholdEntity,
  PartnerClientApprovalEntity,
  PartnerClientEntity,
  RefreshTokenEntity,
  ResidenceChangeEntity,
  ResidenceEntity,
  RoleChangeEntity,
  UserEntity,
};
export const identityEntities = [
  CommunityEntity,
  GridEntity,
  HouseholdEntity,
  UserEntity,
  RefreshTokenEntity,
  RoleChangeEntity,
  ResidenceEntity,
  ResidenceChangeEntity,
  PartnerClientEntity,
  PartnerClientApprovalEntity,
  DataConsentEntity,
];
