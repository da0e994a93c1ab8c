import { documentedMetrics } from '@sg/testing';
import { METRIC } from './metric-names';
import { providedMetrics } from './testing/provided-metrics';

// docs/operations.md "Metrics and dashboards" against the code; the apps e2e checks it
// against what the running apps serve, start-up label values included.
describe('docs/operations.md metric tables', () => {
  const documented = documentedMetrics();
  const byName = new Map(documented.map((metric) => [metric.name, metric]));

  it('lists every metric the apps define, once, and no other', () => {
    expect(documented.map((metric) => metric.name).sort()).toEqual(Object.values(METRIC).sort());
  });

  it.each(documented.filter((metric) => metric.fromStartUp).map((metric) => [metric.name, metric]))('%s lists the label values that exist from start-up', (_name, metric) => {
    expect([...metric.labels.values()].flatMap((values) => values ?? [])).not.toHaveLength(0);
  });

  it('documents each metric of the gateway and indexer providers with its app, type and labels', async () => {
    const provided = await providedMetrics();
    expect(provided.length).toBeGreaterThan(0);
    for (const metric of provided) {
      const doc = byName.get(metric.name);
      expect({ name: metric.name, app: doc?.app, type: doc?.type, labels: [...(doc?.labels.keys() ?? [])].sort() }).toEqual({
        name: metric.name,
        app: metric.app,
        type: metric.type,
        labels: [...metric.labelNames].sort(),
      });
    }
  });
});
