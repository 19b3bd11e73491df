import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { startIdentityForTests, type IdentityUnderTest } from '@taoyuan/identity/testing';
import { loadManifest, sha256Hex } from '../src/persisted-documents';
import { startGatewayForTests } from './support/start-gateway';

const COMMUNITIES = 'query Communities { communities { name } }';
const COMMUNITY_CITIES = 'query CommunityCities { communities { city } }';
const UNTRUSTED = 'query Everything { communities { id name city district } }';

let identity: IdentityUnderTest;
let open: RunningHttpServer;
let trusted: RunningHttpServer;
let manifestFile: string;

beforeAll(async () => {
  identity = await startIdentityForTests();
  manifestFile = path.join(mkdtempSync(path.join(tmpdir(), 'taoyuan-manifest-')), 'persisted-documents.json');
  writeFileSync(
    manifestFile,
    JSON.stringify({ [sha256Hex(COMMUNITIES)]: COMMUNITIES, [sha256Hex(COMMUNITY_CITIES)]: COMMUNITY_CITIES }),
  );
  open = await startGatewayForTests({ identity }, { PERSISTED_DOCUMENTS_MANIFEST: manifestFile });
  trusted = await startGatewayForTests(
    { identity },
    { NODE_ENV: 'production', PERSISTED_DOCUMENTS: 'required', PERSISTED_DOCUMENTS_MANIFEST: manifestFile },
  );
});
afterAll(async () => {
  await open?.stop();
  await trusted?.stop();
  await identity?.stop();
});

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(url: string, payload: Record<string, unknown>, language = 'en'): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': language },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function getByHash(url: string, hash: string): Promise<Answer> {
  const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
  const response = await fetch(`${url}?extensions=${encodeURIComponent(extensions)}`, {
    headers: { 'apollo-require-preflight': 'true', 'accept-language': 'en' },
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const byHash = (document: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256Hex(document) } });

describe('automatic persisted queries through the gateway', () => {
  it('round-trips: an unknown hash asks for the document, the document registers it, then the hash alone runs it', async () => {
    const first = await post(open.url, { extensions: byHash(UNTRUSTED) });
    expect(first.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await post(open.url, { query: UNTRUSTED, extensions: byHash(UNTRUSTED) });
    expect(registered.body.data?.communities).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: '桃源居社区' })]),
    );

    const again = await post(open.url, { extensions: byHash(UNTRUSTED) });
    expect(again.body).toEqual(registered.body);
    expect((await getByHash(open.url, sha256Hex(UNTRUSTED))).body).toEqual(registered.body);
  });

  it('knows the manifest documents by hash without registration', async () => {
    const answer = await post(open.url, { extensions: byHash(COMMUNITY_CITIES) });
    expect(answer.body.data?.communities).toEqual(expect.arrayContaining([{ city: '深圳市' }]));
  });
});

describe('trusted documents (PERSISTED_DOCUMENTS=required)', () => {
  it('runs a document of the manifest, by hash over POST and GET or by its exact text', async () => {
    const expected = { data: { communities: expect.arrayContaining([{ name: '桃源居社区' }]) } };
    expect((await post(trusted.url, { extensions: byHash(COMMUNITIES) })).body).toEqual(expected);
    expect((await getByHash(trusted.url, sha256Hex(COMMUNITIES))).body).toEqual(expected);
    expect((await post(trusted.url, { query: COMMUNITIES })).body).toEqual(expected);
  });

  it.each([
    ['any other document', { query: UNTRUSTED }],
    ['an attempt to register one with APQ', { query: UNTRUSTED, extensions: byHash(UNTRUSTED) }],
    ['an unknown hash', { extensions: byHash(UNTRUSTED) }],
    ['a manifest document changed by one character', { query: `${COMMUNITIES} ` }],
    ['no document at all', {}],
  ])('refuses %s with PERSISTED_QUERY_NOT_FOUND / OPERATION_NOT_TRUSTED', async (_label, payload) => {
    const answer = await post(trusted.url, payload);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_FOUND',
      reason: 'OPERATION_NOT_TRUSTED',
    });
  });

  it('says so in Chinese by default', async () => {
    const answer = await post(trusted.url, { query: UNTRUSTED }, '');
    expect(answer.body.errors?.[0]?.message).toBe('此操作不在受信任的文档清单中');
  });

  it('refuses to start without a manifest, or with a hash that is not its document’s', async () => {
    await expect(startGatewayForTests({ identity }, { PERSISTED_DOCUMENTS: 'required' })).rejects.toThrow(
      /PERSISTED_DOCUMENTS_MANIFEST/,
    );
    const forged = path.join(path.dirname(manifestFile), 'forged.json');
    writeFileSync(forged, JSON.stringify({ [sha256Hex(COMMUNITIES)]: UNTRUSTED }));
    expect(() => loadManifest(forged)).toThrow(/not the SHA-256/);
  });
});
