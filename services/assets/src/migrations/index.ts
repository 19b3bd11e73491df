import { AssetsInitial1764633600000 } from './1764633600000-assets-initial';

export const assetsMigrations = [AssetsInitial1764633600000];
