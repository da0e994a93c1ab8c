/** One line of a Prometheus text exposition. */
export interface PrometheusSample {
  /** The series name as written, e.g. `http_seconds_bucket`. */
  series: string;
  /** The metric it belongs to: a histogram's or summary's `_bucket`, `_sum` and `_count` series count as that metric. */
  metric: string;
  labels: ReadonlyMap<string, string>;
  value: number;
}

/** A parsed `/metrics` answer. */
export interface PrometheusScrape {
  /** Each metric's `# TYPE`. */
  types: ReadonlyMap<string, string>;
  samples: readonly PrometheusSample[];
  /**
   * The value of the first sample of `series` whose labels include every one of `labels` (others,
   * such as the `app` and `node` every app adds, may be there too), or undefined when none does.
   */
  find(series: string, labels?: Readonly<Record<string, string>>): number | undefined;
  /** As `find`, but a missing series throws: a metric served from start-up is never read as 0 by mistake. */
  value(series: string, labels?: Readonly<Record<string, string>>): number;
}

const TYPE_LINE = /^# TYPE (\S+) (\S+)$/;
// name, optional {labels}, value, optional timestamp
const SAMPLE_LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;
const FAMILY_SUFFIX = /^(.+)_(bucket|sum|count)$/;

function unescapeLabelValue(raw: string): string {
  return raw.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
}

function sampleValue(raw: string): number {
  // the exposition format spells infinities +Inf and -Inf, which Number() does not read
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(raw);
}

/** Parses a Prometheus text exposition (format 0.0.4, what prom-client serves). */
export function parsePrometheusScrape(text: string): PrometheusScrape {
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    const type = TYPE_LINE.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) continue;
    const [, series, rawLabels, rawValue] = sample;
    // # TYPE comes before a metric's samples, so the family is known by the time its series appear
    const family = FAMILY_SUFFIX.exec(series);
    const familyType = family ? types.get(family[1]) : undefined;
    const metric = family && (familyType === 'histogram' || familyType === 'summary') ? family[1] : series;
    const labels = new Map([...(rawLabels ?? '').matchAll(LABEL_PAIR)].map((pair): [string, string] => [pair[1], unescapeLabelValue(pair[2])]));
    samples.push({ series, metric, labels, value: sampleValue(rawValue) });
  }
  const find = (series: string, labels: Readonly<Record<string, string>> = {}): number | undefined => {
    const wanted = Object.entries(labels);
    return samples.find((sample) => sample.series === series && wanted.every(([key, value]) => sample.labels.get(key) === value))?.value;
  };
  return {
    types,
    samples,
    find,
    value(series, labels = {}) {
      const value = find(series, labels);
      if (value === undefined) throw new Error(`no ${series} series with ${JSON.stringify(labels)} in the scrape`);
      return value;
    },
  };
}
