// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startVolunteering } from './app';
import { loadVolunteeringConfig } from './config';

async function main() {
  const config = loadVolunteeringConfig();
  const server = await startVolunteering(config);
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('volunteering').fatal({ err: error }, 'volunteering failed to start');
  process.exit(1);
});
