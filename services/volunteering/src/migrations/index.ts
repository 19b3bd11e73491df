import { VolunteeringInitial1764057600000 } from './1764057600000-volunteering-initial';

export const volunteeringMigrations = [VolunteeringInitial1764057600000];
