import { parsePrometheusScrape } from './prometheus-scrape';

const EXPOSITION = [
  '# HELP requests_total Requests.',
  '# TYPE requests_total counter',
  'requests_total{app="gateway",result="ok"} 3',
  'requests_total{app="gateway",result="full"} 0',
  '# TYPE in_flight gauge',
  'in_flight 2',
  '# TYPE latency_seconds histogram',
  'latency_seconds_bucket{le="0.1",app="gateway"} 1',
  'latency_seconds_bucket{le="+Inf",app="gateway"} 4',
  'latency_seconds_sum{app="gateway"} 0.9',
  'latency_seconds_count{app="gateway"} 4',
  '# TYPE queue_count gauge',
  'queue_count 7 1700000000000',
  '# TYPE reasons_total counter',
  'reasons_total{reason="say \\"hi\\"\\\\"} 1',
  '',
].join('\n');

describe(parsePrometheusScrape.name, () => {
  const scrape = parsePrometheusScrape(EXPOSITION);

  it('reads each metric type', () => {
    expect(scrape.types).toEqual(
      new Map([
        ['requests_total', 'counter'],
        ['in_flight', 'gauge'],
        ['latency_seconds', 'histogram'],
        ['queue_count', 'gauge'],
        ['reasons_total', 'counter'],
      ]),
    );
  });

  it('counts histogram series as their histogram, and a name ending in _count that is not one as itself', () => {
    expect(scrape.samples.map((sample) => [sample.series, sample.metric])).toEqual([
      ['requests_total', 'requests_total'],
      ['requests_total', 'requests_total'],
      ['in_flight', 'in_flight'],
      ['latency_seconds_bucket', 'latency_seconds'],
      ['latency_seconds_bucket', 'latency_seconds'],
      ['latency_seconds_sum', 'latency_seconds'],
      ['latency_seconds_count', 'latency_seconds'],
      ['queue_count', 'queue_count'],
      ['reasons_total', 'reasons_total'],
    ]);
  });

  it('finds a series by a subset of its labels', () => {
    expect(scrape.value('requests_total', { result: 'full' })).toBe(0);
    expect(scrape.value('requests_total', { result: 'ok', app: 'gateway' })).toBe(3);
    expect(scrape.value('latency_seconds_count')).toBe(4);
  });

  it('reads +Inf as a label and a timestamp after the value', () => {
    expect(scrape.value('latency_seconds_bucket', { le: '+Inf' })).toBe(4);
    expect(scrape.value('queue_count')).toBe(7);
  });

  it('unescapes label values', () => {
    expect(scrape.samples.find((sample) => sample.series === 'reasons_total')?.labels.get('reason')).toBe('say "hi"\\');
  });

  it('reads the infinities the format spells +Inf and -Inf', () => {
    expect(parsePrometheusScrape('a +Inf\nb -Inf\nc NaN').samples.map((sample) => sample.value)).toEqual([Infinity, -Infinity, NaN]);
  });

  it('finds nothing, rather than 0, for a series it does not have', () => {
    expect(scrape.find('missing_total')).toBeUndefined();
    expect(scrape.find('requests_total', { result: 'rate-limited' })).toBeUndefined();
    expect(scrape.find('latency_seconds')).toBeUndefined();
  });

  it('throws, naming the series, when a value it must have is missing', () => {
    expect(() => scrape.value('requests_total', { result: 'rate-limited' })).toThrow('no requests_total series with {"result":"rate-limited"}');
    expect(scrape.value('in_flight')).toBe(2);
  });
});
