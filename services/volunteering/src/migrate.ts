import { migrateSubgraph } from '@taoyuan/service-kit';
import { volunteeringSubgraph } from './app';
import { loadVolunteeringConfig } from './config';

async function main() {
  const applied = await migrateSubgraph(volunteeringSubgraph(), loadVolunteeringConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'volunteering: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
