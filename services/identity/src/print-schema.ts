import { printSubgraphSdl } from '@taoyuan/service-kit';
import { identitySubgraph, loadIdentityKeys } from './app';
import { PasswordHasher } from './domain/password-hasher';
import { loadIdentityConfig } from './config';
import { generateSigningKeyPem } from './domain/signing-keys';

/** Prints the subgraph SDL for composition; needs no database and no real key. */
async function main() {
  const config = loadIdentityConfig({
    DATABASE_URL: 'postgres://127.0.0.1/unused',
    JWT_PRIVATE_KEY: generateSigningKeyPem(),
  });
  process.stdout.write(
    await printSubgraphSdl(
      identitySubgraph({ keys: await loadIdentityKeys(config), hasher: new PasswordHasher() }),
      config,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
