import { migrateSubgraph } from '@taoyuan/service-kit';
import { partnersSubgraph } from './app';
import { loadPartnersConfig } from './config';

async function main() {
  const applied = await migrateSubgraph(partnersSubgraph(), loadPartnersConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'partners: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
