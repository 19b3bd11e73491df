import { MarketplaceInitial1764230400000 } from './1764230400000-marketplace-initial';

export const marketplaceMigrations = [MarketplaceInitial1764230400000];
