import { migrateSubgraph } from '@taoyuan/service-kit';
import { marketplaceSubgraph } from './app';
import { loadMarketplaceConfig } from './config';

async function main() {
  const applied = await migrateSubgraph(marketplaceSubgraph(), loadMarketplaceConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'marketplace: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
