import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startMarketplace } from './app';
import { loadMarketplaceConfig } from './config';

async function main() {
  const config = loadMarketplaceConfig();
  const server = await startMarketplace(config);
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('marketplace').fatal({ err: error }, 'marketplace failed to start');
  process.exit(1);
});
