import { printSubgraphSdl } from '@taoyuan/service-kit';
import { notificationsSubgraph } from './app';
import { loadNotificationsConfig } from './config';

/** Prints the subgraph SDL for composition; needs no database. */
async function main() {
  const config = loadNotificationsConfig({
    DATABASE_URL: 'postgres://127.0.0.1/unused',
    JWKS_URL: 'http://127.0.0.1:4001/.well-known/jwks.json',
  });
  process.stdout.write(await printSubgraphSdl(notificationsSubgraph(), config));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
