import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { kafkaPrincipals } from '@taoyuan/events';
import { readComposeFile } from '../src/deployed-stack';

const repository = resolve(__dirname, '..', '..', '..');

const compose = readComposeFile();
const services = compose.services;
const initSql = readFileSync(resolve(repository, 'infra/postgres/init.sql'), 'utf8');

/** Every subgraph in the file: a service built from infra/Dockerfile that is not the gateway nor a migration. */
const subgraphs = Object.keys(services).filter(
  (name) => services[name].build?.args?.PACKAGE === name && name !== 'gateway',
);

describe('docker-compose.yml', () => {
  it('runs every subgraph the gateway routes to, and the gateway waits for each to be healthy', () => {
    const gateway = services.gateway;
    const routed = Object.keys(gateway.environment ?? {})
      .filter((key) => key.endsWith('_URL') && key !== 'JWKS_URL')
      .map((key) => key.replace(/_URL$/, '').toLowerCase())
      .sort();
    expect(routed).toEqual([...subgraphs].sort());
    expect(subgraphs).toEqual(
      expect.arrayContaining([
        'identity',
        'volunteering',
        'organizations',
        'marketplace',
        'assets',
        'partners',
        'notifications',
      ]),
    );
    for (const name of subgraphs) {
      const port = services[name].environment?.PORT;
      expect(gateway.environment?.[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${port}/graphql`);
      expect(gateway.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
    }
  });

  it.each(subgraphs)('%s: migrations first, then the service; healthy on /ready; no host port (replicas)', (name) => {
    const service = services[name];
    const migrate = services[`${name}-migrate`];
    expect(migrate).toBeDefined();
    expect(migrate.image).toBe(service.image);
    expect(migrate.command).toEqual(['node', 'dist/migrate.js']);
    expect(migrate.environment?.DATABASE_URL).toBe(service.environment?.DATABASE_URL);
    expect(service.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      'kafka-init': { condition: 'service_completed_successfully' },
      [`${name}-migrate`]: { condition: 'service_completed_successfully' },
      ...(name === 'identity' ? {} : { identity: { condition: 'service_healthy' } }),
    });

    const port = service.environment?.PORT;
    expect(service.build?.args?.PORT).toBe(port);
    expect(service.healthcheck?.test?.join(' ')).toContain(`http://127.0.0.1:${port}/ready`);
    expect(service.ports).toBeUndefined();

    const database = /\/(taoyuan_[a-z_]+)$/.exec(String(service.environment?.DATABASE_URL))?.[1];
    expect(database).toBe(`taoyuan_${name}`);
    expect(initSql).toContain(`CREATE DATABASE ${database};`);
  });

  it.each(subgraphs)('%s: logs in to Kafka as its own principal with its own password', (name) => {
    const environment = services[name].environment ?? {};
    expect(kafkaPrincipals()).toContain(name);
    expect(environment.KAFKA_SASL_MECHANISM).toBe('scram-sha-256');
    expect(environment.KAFKA_USERNAME).toBe(name);
    expect(environment.KAFKA_PASSWORD).toBe(`\${KAFKA_PASSWORD_${name.toUpperCase()}:?}`);
  });

  it('creates every Kafka login the catalogue names, with the up-to-date init script', () => {
    const environment = services['kafka-init'].environment ?? {};
    for (const principal of kafkaPrincipals()) {
      const variable = `KAFKA_PASSWORD_${principal.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
      expect(environment[variable]).toBe(`\${${variable}:?}`);
    }
    // Throws (exit 1) when infra/kafka/kafka-init.sh differs from what the catalogue generates.
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'packages/local-stack/src/docker-kafka.ts', 'check'], {
      cwd: repository,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });

  it('publishes a host port for the gateway only (and the optional observability tools)', () => {
    const published = Object.keys(services).filter(
      (name) => services[name].ports !== undefined && !services[name].profiles?.includes('observability'),
    );
    expect(published).toEqual(['gateway']);
  });
});
