import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kafkaPrincipals } from '@taoyuan/events';
import { brokerSecurityConfig, ensureKafkaCredentials } from '../src/kafka-security';

/** pnpm start's Kafka logins: created once, private, stable across restarts. */
describe('the local Kafka credentials file', () => {
  const file = () =>
    path.join(mkdtempSync(path.join(tmpdir(), 'taoyuan-kafka-credentials-')), 'kafka-credentials.json');

  it('is created on the first start with one SCRAM login per principal, readable by its owner only', () => {
    const credentialsFile = file();
    const credentials = ensureKafkaCredentials(credentialsFile);
    expect(Object.keys(credentials).sort()).toEqual(kafkaPrincipals().sort());
    expect(credentials.partner).toMatchObject({ mechanism: 'scram-sha-256', username: 'partner' });
    expect(new Set(Object.values(credentials).map((login) => login.password)).size).toBe(kafkaPrincipals().length);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
  });

  it('keeps existing passwords on the next start and adds a login for a principal it lacks', () => {
    const credentialsFile = file();
    const first = ensureKafkaCredentials(credentialsFile);
    const { volunteering: dropped, ...withoutOne } = first;
    writeFileSync(credentialsFile, JSON.stringify(withoutOne), { mode: 0o644 });
    const second = ensureKafkaCredentials(credentialsFile);
    expect(second.partner).toEqual(first.partner);
    expect(second.volunteering.password).not.toBe(dropped.password);
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8'))).toEqual(second);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
  });

  it('gives the broker every login and the catalogue-derived ACLs', () => {
    const credentials = ensureKafkaCredentials(file());
    const config = brokerSecurityConfig(credentials);
    expect(config.users.map((user) => user.name).sort()).toEqual(kafkaPrincipals().sort());
    expect(config.acls).toContainEqual({
      principal: 'organizations',
      operation: 'WRITE',
      topic: 'taoyuan.organizations.member.promoted.v1',
    });
  });
});
