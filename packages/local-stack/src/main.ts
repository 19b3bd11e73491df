import path from 'node:path';
import { DEMO_PASSWORD, DEMO_USERS } from '@taoyuan/demo-data';
import { SUBGRAPHS } from '@taoyuan/gateway/subgraphs';
import { ensureSigningKeyFile } from '@taoyuan/identity/signing-keys';
import { startBroker } from '@taoyuan/kafka-broker';
import { startEmbeddedPostgres } from '@taoyuan/testing/postgres';
import { brokerSecurityConfig, ensureKafkaCredentials, type KafkaCredentialsByPrincipal } from './kafka-security';
import { startStack, type RunningStack } from './stack';

const root = path.resolve(__dirname, '../../..');
const dataDir = process.env.TAOYUAN_DATA_DIR ?? path.join(root, '.data');
const logDir = path.join(dataDir, 'logs');
const GATEWAY_PORT = Number(process.env.GATEWAY_PORT ?? 4000);
const LOCAL_PG_PORT = Number(process.env.LOCAL_PG_PORT ?? 54329);
const LOCAL_KAFKA_PORT = Number(process.env.LOCAL_KAFKA_PORT ?? 9092);

/** Stopped in reverse order of starting: services before the broker and the database they need. */
const stoppers: (() => Promise<void>)[] = [];

async function startPostgres(): Promise<string> {
  if (process.env.DATABASE_URL) {
    console.log(`PostgreSQL     ${new URL(process.env.DATABASE_URL).host} (DATABASE_URL)`);
    return process.env.DATABASE_URL;
  }
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: LOCAL_PG_PORT,
    persistent: true,
    exitOnSignals: false,
  });
  stoppers.push(() => postgres.stop());
  console.log(
    `PostgreSQL     127.0.0.1:${LOCAL_PG_PORT} (embedded, data in ${path.relative(root, path.join(dataDir, 'postgres'))})`,
  );
  return postgres.adminUrl;
}

const kafkaCredentialsFile = path.join(dataDir, 'kafka-credentials.json');

/**
 * The development broker with SASL/SCRAM and the catalogue's ACLs, like production: a service can publish only its
 * own events. With KAFKA_BROKERS set, that broker is used as it is, with no logins.
 */
async function startKafka(): Promise<{ brokers: string; credentials?: KafkaCredentialsByPrincipal }> {
  if (process.env.KAFKA_BROKERS) {
    console.log(`Kafka          ${process.env.KAFKA_BROKERS} (KAFKA_BROKERS)`);
    return { brokers: process.env.KAFKA_BROKERS };
  }
  const credentials = ensureKafkaCredentials(kafkaCredentialsFile);
  const broker = await startBroker({
    port: LOCAL_KAFKA_PORT,
    host: '127.0.0.1',
    dataDir: path.join(dataDir, 'kafka'),
    security: brokerSecurityConfig(credentials),
  });
  stoppers.push(() => broker.stop());
  console.log(
    `Kafka          ${broker.brokers} (development broker, SASL/SCRAM-SHA-256 with ACLs, data in ${path.relative(root, path.join(dataDir, 'kafka'))})`,
  );
  return { brokers: broker.brokers, credentials };
}

/** How to run a command as one Kafka principal of this stack, for the banner (nothing when there is no SASL). */
function asPrincipal(credentials: KafkaCredentialsByPrincipal | undefined, principal: string, command: string): string {
  const login = credentials?.[principal];
  if (!login) return command;
  const file = path.relative(process.cwd(), kafkaCredentialsFile) || kafkaCredentialsFile;
  return `KAFKA_SASL_MECHANISM=${login.mechanism} KAFKA_USERNAME=${login.username} \\
                    KAFKA_PASSWORD="$(node -p "require('./${file}').${principal}.password")" \\
                    ${command}`;
}

function kafkaBanner(credentials: KafkaCredentialsByPrincipal | undefined): string {
  const lines = [
    `  Public events:    ${asPrincipal(credentials, 'partner', 'pnpm --filter @taoyuan/partner-consumer start')}`,
    `  Dead letters:     ${asPrincipal(credentials, 'operator', 'pnpm dlq list')}`,
  ];
  if (credentials) {
    const file = path.relative(process.cwd(), kafkaCredentialsFile) || kafkaCredentialsFile;
    lines.push(`  Kafka logins:     ${file} (one per service, partner, operator; mode 0600)`);
  }
  return lines.join('\n');
}

let stack: RunningStack | undefined;
let shuttingDown = false;

async function shutdown(exitCode: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('\nStopping…');
  await stack?.stop();
  for (const stop of stoppers.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error('error while stopping:', error);
    }
  }
  console.log('Stopped.');
  process.exit(exitCode);
}

async function main() {
  const started = Date.now();
  const databaseServerUrl = await startPostgres();
  const kafka = await startKafka();
  const signingKeyFile = path.join(dataDir, 'keys', 'jwt-signing-key.pem');
  ensureSigningKeyFile(signingKeyFile);
  stack = await startStack({
    databaseServerUrl,
    databasePrefix: 'taoyuan',
    kafkaBrokers: kafka.brokers,
    kafkaCredentials: kafka.credentials,
    signingKeyFile,
    logDir,
    gatewayPort: GATEWAY_PORT,
    subgraphPorts: Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, entry.defaultPort])),
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', SEED_DEMO_DATA: process.env.SEED_DEMO_DATA ?? 'true' },
    echoLogs: process.env.LOG_ECHO === 'true',
    // Any process dying on its own takes the stack down, rather than leaving a half-working system.
    onUnexpectedExit: (name, code, logFile) => {
      console.error(`${name} exited unexpectedly (code ${code}); see ${logFile}`);
      void shutdown(1);
    },
  });
  for (const [name, url] of Object.entries(stack.subgraphUrls)) console.log(`${name.padEnd(14)} ${url}`);
  console.log(`
Taoyuan is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s).

  GraphQL gateway:  ${stack.gatewayUrl}
  Logs:             ${path.relative(root, logDir)}/<service>.log   (LOG_ECHO=true to print them here)
${kafkaBanner(kafka.credentials)}

Demo accounts (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((user) => `  ${user.phone}  ${user.displayName}  ${user.roles.filter((role) => role !== 'RESIDENT').join(', ') || 'RESIDENT'}`).join('\n')}

Press Ctrl-C to stop.`);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
