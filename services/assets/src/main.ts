// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startAssets } from './app';
import { loadAssetsConfig } from './config';

async function main() {
  const config = loadAssetsConfig();
  const server = await startAssets(config);
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('assets').fatal({ err: error }, 'assets failed to start');
  process.exit(1);
});
