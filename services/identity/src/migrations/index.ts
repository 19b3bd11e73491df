import { IdentityInitial1763884800000 } from './1763884800000-identity-initial';
import { IdentityOutbox1763971200000 } from './1763971200000-identity-outbox';

export const identityMigrations = [IdentityInitial1763884800000, IdentityOutbox1763971200000];
