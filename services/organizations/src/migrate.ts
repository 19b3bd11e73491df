import { migrateSubgraph } from '@taoyuan/service-kit';
import { organizationsSubgraph } from './app';
import { loadOrganizationsConfig } from './config';

async function main() {
  const applied = await migrateSubgraph(organizationsSubgraph, loadOrganizationsConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'organizations: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
