import { MembershipRoleChangeEntity } from './membership-role-change.entity';
import { MembershipEntity } from './membership.entity';
import { OrganizationPolicyEntity } from './organization-policy.entity';
import { OrganizationStatusChangeEntity } from './organization-status-change.entity';
import { OrganizationEntity } from './organization.entity';
import { PromotionCandidateEntity } from './promotion-candidate.entity';
import { ResidentTierEntity } from './resident-tier.entity';

export {
  MembershipEntity,
  MembershipRoleChangeEntity,
  OrganizationEntity,
  OrganizationPolicyEntity,
  OrganizationStatusChangeEntity,
  PromotionCandidateEntity,
  ResidentTierEntity,
};
export const organizationsEntities = [
  OrganizationEntity,
  OrganizationStatusChangeEntity,
  OrganizationPolicyEntity,
  MembershipEntity,
  MembershipRoleChangeEntity,
  ResidentTierEntity,
  PromotionCandidateEntity,
];
