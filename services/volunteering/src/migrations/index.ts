import { VolunteeringInitial1764057600000 } from './1764057600000-volunteering-initial';
import { VolunteeringOrganizationStatus1764144000000 } from './1764144000000-volunteering-organization-status';

export const volunteeringMigrations = [VolunteeringInitial1764057600000, VolunteeringOrganizationStatus1764144000000];
