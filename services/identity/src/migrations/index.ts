import { IdentityInitial1763884800000 } from './1763884800000-identity-initial';

export const identityMigrations = [IdentityInitial1763884800000];
