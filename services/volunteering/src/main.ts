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
