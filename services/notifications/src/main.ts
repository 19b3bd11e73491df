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
