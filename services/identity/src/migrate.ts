import { migrateSubgraph } from '@taoyuan/service-kit';
import { identitySubgraph, loadIdentityKeys } from './app';
import { loadIdentityConfig } from './config';

async function main() {
  const config = loadIdentityConfig();
  const applied = await migrateSubgraph(identitySubgraph(await loadIdentityKeys(config)), config);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'identity: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
