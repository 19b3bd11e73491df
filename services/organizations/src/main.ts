// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startOrganizations } from './app';
import { loadOrganizationsConfig } from './config';

async function main() {
  const server = await startOrganizations(loadOrganizationsConfig());
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('organizations').fatal({ err: error }, 'organizations failed to start');
  process.exit(1);
});
