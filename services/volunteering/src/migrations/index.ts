import { VolunteeringInitial1764057600000 } from './1764057600000-volunteering-initial';
import { VolunteeringOrganizationStatus1764144000000 } from './1764144000000-volunteering-organization-status';
import { VolunteeringMembershipVersions1764576000000 } from './1764576000000-volunteering-membership-versions';
import { VolunteeringOrganizationStatusVersions1764576060000 } from './1764576060000-volunteering-organization-status-versions';
import { VolunteeringResidences1764576120000 } from './1764576120000-volunteering-residences';
import { VolunteeringTierPoints1764576180000 } from './1764576180000-volunteering-tier-points';
import { VolunteeringHeldEntries1764576240000 } from './1764576240000-volunteering-held-entries';
import { VolunteeringPointsReleases1764576300000 } from './1764576300000-volunteering-points-releases';
import { VolunteeringVerificationOverrides1764576360000 } from './1764576360000-volunteering-verification-overrides';
import { VolunteeringCheckInAttempts1764576420000 } from './1764576420000-volunteering-check-in-attempts';
import { VolunteeringSignUpFunction1764576480000 } from './1764576480000-volunteering-sign-up-function';

export const volunteeringMigrations = [
  VolunteeringInitial1764057600000,
  VolunteeringOrganizationStatus1764144000000,
  VolunteeringMembershipVersions1764576000000,
  VolunteeringOrganizationStatusVersions1764576060000,
  VolunteeringResidences1764576120000,
  VolunteeringTierPoints1764576180000,
  VolunteeringHeldEntries1764576240000,
  VolunteeringPointsReleases1764576300000,
  VolunteeringVerificationOverrides1764576360000,
  VolunteeringCheckInAttempts1764576420000,
  VolunteeringSignUpFunction1764576480000,
];
