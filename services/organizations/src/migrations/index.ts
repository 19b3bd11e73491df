import { OrganizationsInitial1764057600000 } from './1764057600000-organizations-initial';
import { OrganizationsMembershipVersion1764576000000 } from './1764576000000-organizations-membership-version';
import { OrganizationsStatusVersion1764576060000 } from './1764576060000-organizations-status-version';

export const organizationsMigrations = [
  OrganizationsInitial1764057600000,
  OrganizationsMembershipVersion1764576000000,
  OrganizationsStatusVersion1764576060000,
];
