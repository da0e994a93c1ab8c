import { get } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One scrape of the gateway's /metrics (Prometheus text format). */
export class MetricsScrape {
  private constructor(private readonly samples: ReadonlyMap<string, number>) {}

  static parse(text: string): MetricsScrape {
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const at = line.lastIndexOf(' ');
      samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return new MetricsScrape(samples);
  }

  /**
   * The value of `name` whose labels include every one of `labels` (other labels, e.g. the
   * app label every series carries, are ignored); NaN when no series matches.
   */
  value(name: string, labels: Readonly<Record<string, string>> = {}): number {
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    for (const [series, value] of this.samples) {
      if (series !== name && !series.startsWith(`${name}{`)) continue;
      if (wanted.every((pair) => series.includes(pair))) return value;
    }
    return Number.NaN;
  }

  /** Every series of `name` as label text -> value, e.g. the reasons of a counter. */
  series(name: string): Map<string, number> {
    const found = new Map<string, number>();
    for (const [series, value] of this.samples) if (series.startsWith(`${name}{`)) found.set(series.slice(name.length), value);
    return found;
  }
}

/** GET `url` on loopback: status, body and the round trip in ms. */
export function httpGet(url: string, timeoutMs = 10_000): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

export async function scrapeMetrics(baseUrl: string): Promise<MetricsScrape> {
  const { status, body } = await httpGet(`${baseUrl}/metrics`);
  if (status !== 200) throw new Error(`GET ${baseUrl}/metrics: HTTP ${status}`);
  return MetricsScrape.parse(body);
}
