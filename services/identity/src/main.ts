// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startIdentity } from './app';
import { loadIdentityConfig } from './config';

async function main() {
  const config = loadIdentityConfig();
  const server = await startIdentity(config);
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('identity').fatal({ err: error }, 'identity failed to start');
  process.exit(1);
});
