import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectProcessMetrics, metricsRegistry } from '@taoyuan/service-kit';

interface Panel {
  title?: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

const dashboard = JSON.parse(
  readFileSync(resolve(__dirname, '../../../infra/observability/grafana/dashboards/taoyuan.json'), 'utf8'),
) as { uid: string; panels: Panel[] };

/** The series names prom-client writes for a metric: a histogram's _bucket, _sum and _count, a counter's name. */
function registeredSeries(): Set<string> {
  collectProcessMetrics();
  const names = new Set<string>();
  for (const metric of metricsRegistry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('the Grafana dashboard (infra/observability)', () => {
  it('queries only series the processes register, and each series the runbook names', () => {
    const registered = registeredSeries();
    const queried = new Set(
      dashboard.panels
        .flatMap((panel) => panel.targets ?? [])
        .flatMap((target) => target.expr.match(/\b(taoyuan|process|nodejs)_[a-z0-9_]+/g) ?? []),
    );
    expect([...queried].filter((name) => !registered.has(name))).toEqual([]);
    expect([...queried]).toEqual(
      expect.arrayContaining([
        'taoyuan_graphql_requests_total',
        'taoyuan_graphql_request_duration_seconds_bucket',
        'taoyuan_gateway_subgraph_fetch_duration_seconds_bucket',
        'taoyuan_db_pool_connections',
        'taoyuan_outbox_backlog_events',
        'taoyuan_outbox_oldest_unsent_age_seconds',
        'taoyuan_consumer_lag_events',
        'taoyuan_events_dead_lettered_total',
        'process_cpu_seconds_total',
      ]),
    );
  });

  it('gives every panel a title and its queries the provisioned Prometheus', () => {
    expect(dashboard.uid).toBe('taoyuan-overview');
    for (const panel of dashboard.panels.filter((each) => each.targets)) {
      expect(panel.title).toBeTruthy();
      expect(panel.datasource?.uid).toBe('prometheus');
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('prometheus');
    }
  });
});
