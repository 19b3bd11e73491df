import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, type JSONWebKeySet, type JWK } from 'jose';

export interface SigningKeys {
  privateKey: KeyObject;
  kid: string;
  alg: 'EdDSA';
  /** What /.well-known/jwks.json serves: the current public key and any previous ones still accepted. */
  jwks: JSONWebKeySet;
}

/** Loads the Ed25519 signing key (PKCS#8 PEM) plus previous public keys kept for rotation. */
export async function loadSigningKeys(
  privateKeyPem: string,
  previousPublicKeysPem: string[] = [],
): Promise<SigningKeys> {
  const privateKey = createPrivateKey(privateKeyPem.replace(/\\n/g, '\n'));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error('JWT signing key must be an Ed25519 private key (PKCS#8 PEM)');
  const toJwk = async (key: KeyObject): Promise<JWK> => {
    const jwk = await exportJWK(key);
    return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'EdDSA', use: 'sig' };
  };
  const current = await toJwk(createPublicKey(privateKey));
  const previous = await Promise.all(
    previousPublicKeysPem.map((pem) => toJwk(createPublicKey(pem.replace(/\\n/g, '\n')))),
  );
  return { privateKey, kid: current.kid!, alg: 'EdDSA', jwks: { keys: [current, ...previous] } };
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Local runs: the key lives under the git-ignored data folder and survives restarts, so sessions stay valid. */
export function ensureSigningKeyFile(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, generateSigningKeyPem(), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}
