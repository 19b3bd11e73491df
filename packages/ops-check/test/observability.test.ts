import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const repository = resolve(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(resolve(repository, file), 'utf8');

interface ComposeService {
  build?: { args?: Record<string, string | number> };
  environment?: Record<string, string | number>;
  profiles?: string[];
  volumes?: string[];
}
const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> })
  .services;

/** Every process of the application in the file: built from infra/Dockerfile, not a migration. */
const processes = Object.entries(services).filter(([name, service]) => service.build?.args?.PACKAGE === name);

describe('the observability profile (docker-compose.yml, infra/observability)', () => {
  it('adds a collector, Jaeger, Prometheus and Grafana only when asked for', () => {
    for (const tool of ['otel-collector', 'jaeger', 'prometheus', 'grafana'])
      expect(services[tool]?.profiles).toEqual(['observability']);
    for (const [name, service] of processes) expect([name, service.profiles]).toEqual([name, undefined]);
  });

  it('mounts only configuration files that exist', () => {
    for (const tool of ['otel-collector', 'prometheus', 'grafana']) {
      for (const volume of services[tool]?.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect(() => read(source)).not.toThrow(/ENOENT/);
      }
    }
  });

  it('lets every process send traces when OTEL_EXPORTER_OTLP_ENDPOINT is set, and none otherwise', () => {
    for (const [name, service] of processes)
      expect([name, service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT]).toEqual([
        name,
        '${OTEL_EXPORTER_OTLP_ENDPOINT:-}',
      ]);
  });

  it('has Prometheus scrape every process on its port, every replica of it', () => {
    const config = parse(read('infra/observability/prometheus.yml')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const jobs = new Map(config.scrape_configs.map((job) => [job.job_name, job.dns_sd_configs[0]]));
    for (const [name, service] of processes) {
      expect([name, jobs.get(name)?.names]).toEqual([name, [name]]);
      expect([name, jobs.get(name)?.port]).toEqual([name, Number(service.environment?.PORT)]);
    }
  });

  it('has the collector take OTLP over HTTP on 4318 and pass traces to Jaeger', () => {
    const config = parse(read('infra/observability/otel-collector.yaml')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    };
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    const { traces } = config.service.pipelines;
    expect(traces.receivers).toEqual(['otlp']);
    expect(traces.exporters.map((exporter) => config.exporters[exporter]?.endpoint)).toEqual(['jaeger:4317']);
  });
});
