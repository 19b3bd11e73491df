// First: tracing (when OTEL_* asks for it) must hook http, pg and kafkajs before anything loads them.
import '@taoyuan/service-kit/start-tracing';
import { createLogger, stopOnSignals } from '@taoyuan/service-kit';
import { startNotifications } from './app';
import { loadNotificationsConfig } from './config';

async function main() {
  const config = loadNotificationsConfig();
  const server = await startNotifications(config);
  stopOnSignals(() => server.stop(), server.deps.logger);
}

main().catch((error: unknown) => {
  createLogger('notifications').fatal({ err: error }, 'notifications failed to start');
  process.exit(1);
});
