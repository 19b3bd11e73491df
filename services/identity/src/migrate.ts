import { migrateSubgraph } from '@taoyuan/service-kit';
import { identitySubgraph, loadIdentityKeys } from './app';
import { PasswordHasher } from './domain/password-hasher';
import { loadIdentityConfig } from './config';

async function main() {
  const config = loadIdentityConfig();
  const applied = await migrateSubgraph(
    identitySubgraph({ keys: await loadIdentityKeys(config), hasher: new PasswordHasher() }),
    config,
  );
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'identity: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
