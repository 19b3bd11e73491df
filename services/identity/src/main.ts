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
