import { migrateSubgraph } from '@taoyuan/service-kit';
import { assetsSubgraph } from './app';
import { loadAssetsConfig } from './config';

async function main() {
  const applied = await migrateSubgraph(assetsSubgraph(), loadAssetsConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'assets: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
