import { AttendanceEntity } from './attendance.entity';
import { OpportunityEntity } from './opportunity.entity';
import { OrganizerMembershipEntity } from './organizer-membership.entity';
import { PointsAccountEntity } from './points-account.entity';
import { PointsEntryEntity } from './points-entry.entity';
import { PointsRuleEntity } from './points-rule.entity';
import { ShiftEntity } from './shift.entity';
import { SignUpEntity } from './sign-up.entity';
import { TierPolicyEntity } from './tier-policy.entity';

export {
  AttendanceEntity,
  OpportunityEntity,
  OrganizerMembershipEntity,
  PointsAccountEntity,
  PointsEntryEntity,
  PointsRuleEntity,
  ShiftEntity,
  SignUpEntity,
  TierPolicyEntity,
};
export const volunteeringEntities = [
  OpportunityEntity,
  ShiftEntity,
  SignUpEntity,
  AttendanceEntity,
  PointsAccountEntity,
  PointsEntryEntity,
  PointsRuleEntity,
  TierPolicyEntity,
  OrganizerMembershipEntity,
];
