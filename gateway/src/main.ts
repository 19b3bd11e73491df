// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';

async function main() {
  // @apollo/gateway otherwise reports this machine (CPUs, memory, uptime) to usage-reporting.api.apollographql.com
  // hourly and again while stopping; a community's gateway reports to its own operators only (/metrics, traces).
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const server = await startGateway(config, logger);
  stopOnSignals(() => server.stop(), logger);
}

main().catch((error: unknown) => {
  createLogger('gateway').fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});
