import { AssetsInitial1764633600000 } from './1764633600000-assets-initial';
import { AssetsLedgerDailyFillfactor1764720000000 } from './1764720000000-assets-ledger-daily-fillfactor';

export const assetsMigrations = [AssetsInitial1764633600000, AssetsLedgerDailyFillfactor1764720000000];
