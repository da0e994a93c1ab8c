import { promqlMetricNames } from './promql-metric-names';

describe(promqlMetricNames.name, () => {
  it.each([
    ['up{job="gateway"} == 0', ['up']],
    ['absent(up{job="gateway"} == 1)', ['up']],
    ['sum by (instance, le) (rate(signaling_redis_roundtrip_seconds_bucket{instance=~"$instance"}[$__rate_interval]))', ['signaling_redis_roundtrip_seconds_bucket']],
    ['sum(rate(a_total{result="unavailable"}[5m])) / sum(rate(a_total[5m])) > 0.05 and sum(rate(a_total[5m])) > 0.1', ['a_total']],
    ['deriv(sum(indexer_backlog_entries)[10m:1m]) > 0', ['indexer_backlog_entries']],
    ['sum(indexer_owned_shards) < 16 or absent(indexer_owned_shards)', ['indexer_owned_shards']],
    ['histogram_quantile(0.99, sum by (le) (rate(lag_bucket[5m]))) > max(lag_target)', ['lag_bucket', 'lag_target']],
    ['max by (node) (abs(drift)) > 0', ['drift']],
    ['ratio > 2 * (ratio offset 1d) unless on(kind) (ratio offset 1d)', ['ratio']],
    ['sum(rate(x_total[5m])) by (instance) * on(instance) group_left(version) build_info', ['build_info', 'x_total']],
    ['level:metric:rate5m > bool 1e3', ['level:metric:rate5m']],
    ['rate(process_cpu_seconds_total{job="$job"}[${__rate_interval}])', ['process_cpu_seconds_total']],
    ['label_values(signaling_websockets_active, instance)', ['signaling_websockets_active']],
    ['label_values(up{job="gateway"}, instance)', ['up']],
    ['count(up{job="gateway", note="a {b} [c] or d"} == 1)', ['up']],
  ])('finds the metrics of %s', (expr, names) => {
    expect(promqlMetricNames(expr)).toEqual(names);
  });
});
