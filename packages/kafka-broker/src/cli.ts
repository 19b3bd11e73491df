import path from 'node:path';
import { loadSecurityConfig, startBroker, type SecurityConfig } from './index';

interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  security?: SecurityConfig;
}

const USAGE =
  'usage: broker [--port 9092] [--host 127.0.0.1] [--data-dir <repo>/.data/kafka] [--security-config users-and-acls.json]';

function parseArguments(argv: string[]): CliOptions {
  const options: CliOptions = {
    port: 9092,
    host: '127.0.0.1',
    // src/ → packages/kafka-broker → packages → repo root; .data/ is git-ignored.
    dataDir: path.resolve(__dirname, '../../../.data/kafka'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`missing value for ${flag}\n${USAGE}`);
    switch (flag) {
      case '--port':
        options.port = Number(value);
        if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
          throw new Error(`invalid --port ${value}`);
        }
        break;
      case '--host':
        options.host = value;
        break;
      case '--data-dir':
        options.dataDir = path.resolve(value);
        break;
      case '--security-config':
        options.security = loadSecurityConfig(path.resolve(value));
        break;
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
    i++;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const broker = await startBroker(options);
  const sasl = options.security ? `SASL PLAIN/SCRAM-SHA-256, ${options.security.users.length} users` : 'no SASL';
  console.log(`kafka-broker listening on ${broker.brokers} (${sasl}; data: ${options.dataDir})`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    broker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
