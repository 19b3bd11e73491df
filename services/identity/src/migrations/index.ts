import { IdentityInitial1763884800000 } from './1763884800000-identity-initial';
import { IdentityOutbox1763971200000 } from './1763971200000-identity-outbox';
import { IdentitySignInDelays1764600000000 } from './1764600000000-identity-sign-in-delays';
import { IdentityRateLimits1764600060000 } from './1764600060000-identity-rate-limits';
import { IdentityRegistrationCodes1764600120000 } from './1764600120000-identity-registration-codes';
import { IdentityResidences1764600180000 } from './1764600180000-identity-residences';
import { IdentityKnownSignInAddresses1764600240000 } from './1764600240000-identity-known-sign-in-addresses';
import { IdentityPartnerClients1764700000000 } from './1764700000000-identity-partner-clients';
import { IdentityPartnerClientApprovals1764700060000 } from './1764700060000-identity-partner-client-approvals';
import { IdentityDataConsents1764700120000 } from './1764700120000-identity-data-consents';

export const identityMigrations = [
  IdentityInitial1763884800000,
  IdentityOutbox1763971200000,
  IdentitySignInDelays1764600000000,
  IdentityRateLimits1764600060000,
  IdentityRegistrationCodes1764600120000,
  IdentityResidences1764600180000,
  IdentityKnownSignInAddresses1764600240000,
  IdentityPartnerClients1764700000000,
  IdentityPartnerClientApprovals1764700060000,
  IdentityDataConsents1764700120000,
];
