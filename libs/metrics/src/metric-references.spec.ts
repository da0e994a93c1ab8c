import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dashboardQueries, documentedMetrics, promqlMetricNames } from '@sg/testing';
import { parse } from 'yaml';
import { METRIC } from './metric-names';
import { defaultProcessMetrics, providedMetrics } from './testing/provided-metrics';

const INFRA = resolve(__dirname, '../../../infra');

/** Series no app of ours exports, that the shipped rules rely on: the scrape's, the blackbox exporter's, kube-state-metrics'. */
const EXTERNAL = new Set(['up', 'probe_success', 'kube_pod_status_ready']);

/** Series a histogram exports besides its name. */
const HISTOGRAM_SERIES = /^(.+)_(bucket|sum|count)$/;

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }>;
}

const rules = parse(readFileSync(join(INFRA, 'prometheus/alerts.yml'), 'utf8')) as RuleFile;
const dashboards = readdirSync(join(INFRA, 'grafana/dashboards')).filter((file) => file.endsWith('.json'));

const queries = [
  ...rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alerts.yml ${rule.alert ?? rule.record}`, expr: rule.expr }))),
  ...dashboards.flatMap((file) =>
    dashboardQueries(JSON.parse(readFileSync(join(INFRA, 'grafana/dashboards', file), 'utf8'))).map((query) => ({ ...query, where: `${file} ${query.where}` })),
  ),
];

describe('metric names in the dashboards and alert rules', () => {
  let defined: Map<string, string>;

  beforeAll(async () => {
    // name -> type: the product metrics (types from their providers, or the docs for admin-search's), the process metrics, the recording rules
    const types = new Map<string, string>([...documentedMetrics().map((metric) => [metric.name, metric.type] as const)]);
    for (const metric of await providedMetrics()) types.set(metric.name, metric.type);
    defined = new Map<string, string>(Object.values(METRIC).map((name) => [name, types.get(name) ?? 'unknown']));
    for (const [name, type] of await defaultProcessMetrics()) defined.set(name, type);
    for (const group of rules.groups) for (const rule of group.rules) if (rule.record) defined.set(rule.record, 'gauge');
  });

  function undefinedNames(expr: string): string[] {
    return promqlMetricNames(expr).filter((name) => {
      if (defined.has(name) || EXTERNAL.has(name)) return false;
      const series = HISTOGRAM_SERIES.exec(name);
      return !(series && defined.get(series[1]) === 'histogram');
    });
  }

  it('finds queries to check in every dashboard and rule group', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    expect(queries.length).toBeGreaterThan(rules.groups.length + dashboards.length);
  });

  it.each(queries.map((query) => [query.where, query.expr]))('%s names only metrics an app defines', (_where, expr) => {
    expect(undefinedNames(expr)).toEqual([]);
  });

  it('would catch a misspelt metric and a histogram series of a gauge', () => {
    expect(undefinedNames('sum(rate(signaling_admission_total[5m]))')).toEqual(['signaling_admission_total']);
    expect(undefinedNames('signaling_websockets_active_bucket')).toEqual(['signaling_websockets_active_bucket']);
    expect(undefinedNames('rate(signaling_fanout_seconds_bucket[5m])')).toEqual([]);
  });
});
