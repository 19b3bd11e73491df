import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KafkaCredentials } from '@taoyuan/events';
// The ACL rules alone: the package's main entry also loads the outbox and consumers (service-kit, typeorm, kafkajs).
import { kafkaAcls, kafkaPrincipals } from '@taoyuan/events/kafka-acl';
import type { SecurityConfig } from '@taoyuan/kafka-broker';

/** Every Kafka principal's login, by principal: each service, `partner` and `operator`. */
export type KafkaCredentialsByPrincipal = Record<string, KafkaCredentials>;

/** SCRAM, like docker-compose's Kafka: the password never crosses the wire. */
const MECHANISM = 'scram-sha-256';

function newCredentials(principal: string): KafkaCredentials {
  return { mechanism: MECHANISM, username: principal, password: randomBytes(24).toString('base64url') };
}

/**
 * Reads the local Kafka logins from `file`, creating it (mode 0600: it holds passwords) on the first run and adding
 * a login for any principal the catalogue has gained since. Existing passwords are kept, so a running partner
 * consumer's login survives a restart of `pnpm start`.
 */
export function ensureKafkaCredentials(file: string): KafkaCredentialsByPrincipal {
  const existing: KafkaCredentialsByPrincipal = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as KafkaCredentialsByPrincipal)
    : {};
  const credentials: KafkaCredentialsByPrincipal = {};
  for (const principal of kafkaPrincipals()) credentials[principal] = existing[principal] ?? newCredentials(principal);
  if (JSON.stringify(credentials) !== JSON.stringify(existing)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return credentials;
}

/** The development broker's `security` option: these logins and the ACLs derived from the event catalogue. */
export function brokerSecurityConfig(credentials: KafkaCredentialsByPrincipal): SecurityConfig {
  return {
    users: Object.values(credentials).map(({ username, password }) => ({ name: username, password })),
    acls: kafkaAcls(),
  };
}

/** What a service process needs to log in as itself (the variables of service-kit's base config). */
export function kafkaLoginEnv(credentials: KafkaCredentials): NodeJS.ProcessEnv {
  return {
    KAFKA_SASL_MECHANISM: credentials.mechanism,
    KAFKA_USERNAME: credentials.username,
    KAFKA_PASSWORD: credentials.password,
  };
}
