import crypto from 'node:crypto';
import fs from 'node:fs';

/** SASL mechanisms the broker offers, by their IANA names (what clients send in SaslHandshake). */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Kafka's minimum for SCRAM, and what kafkajs refuses to go below. */
export const MIN_SCRAM_ITERATIONS = 4096;

/** RFC 5802 stored credentials: the broker never needs the password itself. Binary values are base64. */
export interface ScramCredential {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

export interface UserConfig {
  name: string;
  /** A plaintext password; the broker derives SCRAM credentials from it at start and forgets it. */
  password?: string;
  /** Pre-computed SCRAM-SHA-256 credentials (what `kafka-configs.sh --add-config SCRAM-SHA-256=...` stores). */
  scramSha256?: ScramCredential;
}

export type AclOperation = 'READ' | 'WRITE';

/**
 * One allow rule (there are no deny rules: what no rule allows is refused). A rule names exactly one resource:
 * a topic (`topic`, where "*" means every topic, as in Kafka), a topic prefix (`topicPrefix`), or a consumer-group
 * prefix (`groupPrefix`, for which the operation is READ, like Kafka's group READ).
 */
export interface AclRule {
  principal: string;
  operation: AclOperation;
  topic?: string;
  topicPrefix?: string;
  groupPrefix?: string;
}

/** The JSON file behind `--security-config`: who may connect and what each principal may do. */
export interface SecurityConfig {
  users: UserConfig[];
  acls: AclRule[];
}

/** Users as the broker keeps them: SCRAM credentials only, with the binary fields decoded. */
export interface StoredUser {
  name: string;
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function hmac(key: Buffer, data: string | Buffer): Buffer {
  return crypto.createHmac('sha256', key).update(data).digest();
}

export function sha256(data: Buffer): Buffer {
  return crypto.createHash('sha256').update(data).digest();
}

/** RFC 5802 Hi(): PBKDF2 with HMAC-SHA-256. Asynchronous so that a login does not stall other connections. */
export function saltPassword(password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.pbkdf2(password, salt, iterations, 32, 'sha256', (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function credentialFromSalted(salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: sha256(hmac(salted, 'Client Key')).toString('base64'),
    serverKey: hmac(salted, 'Server Key').toString('base64'),
  };
}

/** SCRAM-SHA-256 credentials for a password, with a fresh random salt. */
export function scramCredential(password: string, iterations = MIN_SCRAM_ITERATIONS): ScramCredential {
  const salt = crypto.randomBytes(16);
  return credentialFromSalted(crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256'), salt, iterations);
}

/** The salted password's two derived keys, for checking a password against stored credentials (PLAIN). */
export async function deriveKeys(
  password: string,
  user: StoredUser,
): Promise<{ storedKey: Buffer; serverKey: Buffer }> {
  const salted = await saltPassword(password, user.salt, user.iterations);
  return { storedKey: sha256(hmac(salted, 'Client Key')), serverKey: hmac(salted, 'Server Key') };
}

const RULE_RESOURCES = ['topic', 'topicPrefix', 'groupPrefix'] as const;

/** Checks the shape of a parsed config and names every problem at once. */
export function validateSecurityConfig(value: unknown): SecurityConfig {
  const problems: string[] = [];
  const isObject = (item: unknown): item is Record<string, unknown> => typeof item === 'object' && item !== null;
  if (!isObject(value) || !Array.isArray(value.users) || !Array.isArray(value.acls)) {
    throw new Error('kafka-broker security config: expected { "users": [...], "acls": [...] }');
  }
  const names = new Set<string>();
  value.users.forEach((user: unknown, index) => {
    if (!isObject(user) || typeof user.name !== 'string' || user.name === '') {
      problems.push(`users[${index}]: needs a non-empty "name"`);
      return;
    }
    if (names.has(user.name)) problems.push(`users[${index}]: duplicate user "${user.name}"`);
    names.add(user.name);
    const hasPassword = typeof user.password === 'string' && user.password !== '';
    const scram = user.scramSha256;
    const hasScram =
      isObject(scram) &&
      typeof scram.salt === 'string' &&
      typeof scram.storedKey === 'string' &&
      typeof scram.serverKey === 'string' &&
      typeof scram.iterations === 'number' &&
      scram.iterations >= MIN_SCRAM_ITERATIONS;
    if (!hasPassword && !hasScram) {
      problems.push(
        `users[${index}] (${user.name}): needs "password" or "scramSha256" {salt, iterations >= ${MIN_SCRAM_ITERATIONS}, storedKey, serverKey}`,
      );
    }
  });
  value.acls.forEach((rule: unknown, index) => {
    if (!isObject(rule) || typeof rule.principal !== 'string' || rule.principal === '') {
      problems.push(`acls[${index}]: needs a non-empty "principal"`);
      return;
    }
    if (rule.operation !== 'READ' && rule.operation !== 'WRITE') {
      problems.push(`acls[${index}]: "operation" must be READ or WRITE`);
    }
    const resources = RULE_RESOURCES.filter((key) => typeof rule[key] === 'string');
    if (resources.length !== 1) {
      problems.push(`acls[${index}]: name exactly one of ${RULE_RESOURCES.join(', ')}`);
    }
    if (typeof rule.groupPrefix === 'string' && rule.operation !== 'READ') {
      problems.push(`acls[${index}]: group rules grant READ`);
    }
  });
  if (problems.length > 0) {
    throw new Error(`kafka-broker security config:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return value as unknown as SecurityConfig;
}

export function loadSecurityConfig(file: string): SecurityConfig {
  return validateSecurityConfig(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Plaintext passwords become SCRAM credentials here; only those are kept. */
export function storeUsers(users: UserConfig[]): Map<string, StoredUser> {
  return new Map(
    users.map((user) => {
      const credential = user.scramSha256 ?? scramCredential(user.password ?? '');
      return [
        user.name,
        {
          name: user.name,
          salt: Buffer.from(credential.salt, 'base64'),
          iterations: credential.iterations,
          storedKey: Buffer.from(credential.storedKey, 'base64'),
          serverKey: Buffer.from(credential.serverKey, 'base64'),
        },
      ];
    }),
  );
}
