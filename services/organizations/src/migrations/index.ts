import { OrganizationsInitial1764057600000 } from './1764057600000-organizations-initial';

export const organizationsMigrations = [OrganizationsInitial1764057600000];
