// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
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
