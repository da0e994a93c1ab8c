import type { FactoryProvider, Provider } from '@nestjs/common';
import { collectDefaultMetrics, register, Registry } from 'prom-client';
import { callQualityMetricProviders } from '../call-quality-metric-providers';
import { gatewayMetricProviders } from '../gateway-metric-providers';
import { indexerMetricProviders } from '../indexer-metric-providers';

export interface ProvidedMetric {
  name: string;
  type: string;
  labelNames: string[];
  app: 'gateway' | 'diagnostics-indexer';
}

/**
 * The metrics this lib's provider lists define, as the apps register them (their
 * factories run against prom-client's default registry, which a Jest file has to itself).
 * admin-search declares its few metrics in the app; their names are in `METRIC`.
 */
export async function providedMetrics(): Promise<ProvidedMetric[]> {
  const lists: Array<[ProvidedMetric['app'], Provider[]]> = [
    ['gateway', gatewayMetricProviders],
    ['diagnostics-indexer', indexerMetricProviders],
    ['diagnostics-indexer', callQualityMetricProviders],
  ];
  const appOf = new Map<string, ProvidedMetric['app']>();
  for (const [app, providers] of lists) {
    for (const provider of providers as FactoryProvider[]) {
      const metric = provider.useFactory() as { name: string };
      appOf.set(metric.name, app);
    }
  }
  return (await register.getMetricsAsJSON())
    .filter((metric) => appOf.has(metric.name))
    .map((metric) => ({
      name: metric.name,
      type: String(metric.type),
      labelNames: [...((register.getSingleMetric(metric.name) as unknown as { labelNames?: string[] }).labelNames ?? [])],
      app: appOf.get(metric.name)!,
    }));
}

/** prom-client's default Node.js metrics, which every app serves: name -> type. */
export async function defaultProcessMetrics(): Promise<Map<string, string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return new Map((await registry.getMetricsAsJSON()).map((metric) => [metric.name, String(metric.type)]));
}
