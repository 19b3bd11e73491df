import crypto from 'node:crypto';
import { deriveKeys, hmac, MIN_SCRAM_ITERATIONS, sha256, type SaslMechanism, type StoredUser } from './security-config';

/** The outcome of one SaslAuthenticate round: bytes for the client, and whether the exchange is over. */
export type SaslStep =
  | { kind: 'challenge'; bytes: Buffer }
  | { kind: 'authenticated'; principal: string; bytes: Buffer }
  | { kind: 'failed'; message: string };

/** One connection's side of a SASL exchange (RFC 4616 PLAIN, RFC 5802/7677 SCRAM-SHA-256). */
export interface SaslExchange {
  step(clientBytes: Buffer): Promise<SaslStep>;
}

/** Kafka's wording, which names neither the user nor which half was wrong. */
const INVALID_CREDENTIALS = (mechanism: SaslMechanism): string =>
  `Authentication failed: Invalid username or password (mechanism ${mechanism})`;

function sameBytes(left: Buffer, right: Buffer): boolean {
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** RFC 4616: `authzid NUL authcid NUL passwd`, one message. An authzid other than the user is refused. */
class PlainExchange implements SaslExchange {
  constructor(private readonly users: ReadonlyMap<string, StoredUser>) {}

  async step(clientBytes: Buffer): Promise<SaslStep> {
    const parts = clientBytes.toString('utf8').split('\u0000');
    if (parts.length !== 3) return { kind: 'failed', message: 'Invalid SASL/PLAIN message' };
    const [authorizationId, username, password] = parts;
    const user = this.users.get(username);
    if (!user || (authorizationId !== '' && authorizationId !== username)) {
      return { kind: 'failed', message: INVALID_CREDENTIALS('PLAIN') };
    }
    const { storedKey } = await deriveKeys(password, user);
    if (!sameBytes(storedKey, user.storedKey)) return { kind: 'failed', message: INVALID_CREDENTIALS('PLAIN') };
    return { kind: 'authenticated', principal: username, bytes: Buffer.alloc(0) };
  }
}

/** RFC 5802 attribute lists: `a=1,b=2`; values may contain '=' but not ','. */
function parseAttributes(text: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>();
  for (const part of text.split(',')) {
    const match = /^([a-zA-Z])=(.*)$/s.exec(part);
    if (!match) return undefined;
    attributes.set(match[1], match[2]);
  }
  return attributes;
}

/** RFC 5802 saslname: ',' and '=' travel as '=2C' and '=3D'; any other '=' is malformed. */
function decodeSaslName(name: string): string | undefined {
  if (/=(?!2C|3D)/.test(name)) return undefined;
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

interface AwaitingClientFinal {
  phase: 'final';
  user: StoredUser | undefined;
  username: string;
  gs2Header: string;
  nonce: string;
  clientFirstBare: string;
  serverFirst: string;
}

/**
 * SCRAM-SHA-256, server side. Unknown users get a made-up salt derived from a per-broker secret, so that they are
 * refused only at the proof, exactly like a wrong password: the exchange does not reveal who exists (RFC 5802 §9).
 */
class ScramExchange implements SaslExchange {
  private state: { phase: 'first' } | AwaitingClientFinal | { phase: 'done' } = { phase: 'first' };

  constructor(
    private readonly users: ReadonlyMap<string, StoredUser>,
    private readonly decoySecret: Buffer,
  ) {}

  step(clientBytes: Buffer): Promise<SaslStep> {
    const message = clientBytes.toString('utf8');
    const state = this.state;
    this.state = { phase: 'done' };
    if (state.phase === 'first') return Promise.resolve(this.clientFirst(message));
    if (state.phase === 'final') return Promise.resolve(this.clientFinal(message, state));
    return Promise.resolve({ kind: 'failed', message: 'SCRAM exchange already finished' });
  }

  private clientFirst(message: string): SaslStep {
    // gs2-header = cbind-flag "," [authzid] ","; we offer no channel binding, so 'p=' is refused.
    const header = /^([ny]),(?:a=([^,]*))?,(.*)$/s.exec(message);
    if (!header) return { kind: 'failed', message: 'Invalid SCRAM client-first message' };
    const [, cbindFlag, authorizationId, clientFirstBare] = header;
    const attributes = parseAttributes(clientFirstBare);
    const encodedName = attributes?.get('n');
    const clientNonce = attributes?.get('r');
    if (!attributes || attributes.has('m') || encodedName === undefined || !clientNonce) {
      return { kind: 'failed', message: 'Invalid SCRAM client-first message' };
    }
    const username = decodeSaslName(encodedName);
    if (username === undefined) return { kind: 'failed', message: 'Invalid SCRAM username' };
    if (authorizationId !== undefined && decodeSaslName(authorizationId) !== username) {
      return { kind: 'failed', message: INVALID_CREDENTIALS('SCRAM-SHA-256') };
    }
    const user = this.users.get(username);
    const salt = user?.salt ?? hmac(this.decoySecret, username).subarray(0, 16);
    const iterations = user?.iterations ?? MIN_SCRAM_ITERATIONS;
    const nonce = clientNonce + crypto.randomBytes(18).toString('base64');
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
    this.state = {
      phase: 'final',
      user,
      username,
      gs2Header: `${cbindFlag},${authorizationId === undefined ? '' : `a=${authorizationId}`},`,
      nonce,
      clientFirstBare,
      serverFirst,
    };
    return { kind: 'challenge', bytes: Buffer.from(serverFirst, 'utf8') };
  }

  private clientFinal(message: string, state: AwaitingClientFinal): SaslStep {
    const proofAt = message.lastIndexOf(',p=');
    const withoutProof = proofAt < 0 ? '' : message.slice(0, proofAt);
    const attributes = parseAttributes(withoutProof);
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    if (
      proofAt < 0 ||
      !attributes ||
      attributes.get('c') !== Buffer.from(state.gs2Header, 'utf8').toString('base64') ||
      // librdkafka before 2.6.1 prepends its own nonce once more; Kafka (3.8.1+) accepts that by checking only the
      // end, and so does this broker, so that Debian's kcat and confluent-kafka clients can log in.
      !(attributes.get('r') ?? '').endsWith(state.nonce)
    ) {
      return { kind: 'failed', message: 'Invalid SCRAM client-final message' };
    }
    const user = state.user;
    if (!user || proof.length !== user.storedKey.length) {
      return { kind: 'failed', message: INVALID_CREDENTIALS('SCRAM-SHA-256') };
    }
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
    const clientSignature = hmac(user.storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ clientSignature[i];
    if (!sameBytes(sha256(clientKey), user.storedKey)) {
      return { kind: 'failed', message: INVALID_CREDENTIALS('SCRAM-SHA-256') };
    }
    const serverSignature = hmac(user.serverKey, authMessage).toString('base64');
    return { kind: 'authenticated', principal: state.username, bytes: Buffer.from(`v=${serverSignature}`, 'utf8') };
  }
}

/** Users and the secret behind decoy salts; one per broker. */
export class SaslServer {
  private readonly decoySecret = crypto.randomBytes(32);

  constructor(private readonly users: ReadonlyMap<string, StoredUser>) {}

  start(mechanism: SaslMechanism): SaslExchange {
    return mechanism === 'PLAIN' ? new PlainExchange(this.users) : new ScramExchange(this.users, this.decoySecret);
  }
}
