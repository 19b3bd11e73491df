import { PartnersInitial1764800000000 } from './1764800000000-partners-initial';

export const partnersMigrations = [PartnersInitial1764800000000];
