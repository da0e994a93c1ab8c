export * from './metric-names';
export * from './gateway-metric-providers';
export * from './platform-metrics.module';
export * from './indexer-metric-providers';
export * from './call-quality-metric-providers';
