// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startPartners } from './app';
import { loadPartnersConfig } from './config';

async function main() {
  const config = loadPartnersConfig();
  const server = await startPartners(config);
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('partners').fatal({ err: error }, 'partners failed to start');
  process.exit(1);
});
