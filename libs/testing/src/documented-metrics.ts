import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type MetricApp = 'gateway' | 'diagnostics-indexer' | 'admin-search';

export interface DocumentedMetric {
  name: string;
  type: string;
  app: MetricApp;
  /** Label -> its values when the docs list them as a closed set (`label`: `a`, `b`), null when open (`label` (...)). */
  labels: Map<string, string[] | null>;
  /** The row says its listed label values exist "at 0 from start-up". */
  fromStartUp: boolean;
}

const APPS: readonly MetricApp[] = ['gateway', 'diagnostics-indexer', 'admin-search'];

/**
 * The metric tables of docs/operations.md ("Metrics and dashboards"): one table per app
 * under a heading naming it in backticks, rows `| metric | type | labels | meaning |`.
 * A labels cell is `label`: `value`, `value` (a closed set, parenthesised notes ignored)
 * or `label` (notes) for an open one, entries separated by `;`.
 */
export function documentedMetrics(): DocumentedMetric[] {
  const text = readFileSync(resolve(__dirname, '../../../docs/operations.md'), 'utf8');
  const start = text.indexOf('\n## Metrics and dashboards\n');
  if (start < 0) throw new Error('docs/operations.md has no "Metrics and dashboards" section');
  const end = text.indexOf('\n## ', start + 1);
  const metrics: DocumentedMetric[] = [];
  let app: MetricApp | null = null;
  for (const line of text.slice(start, end < 0 ? undefined : end).split('\n')) {
    if (line.startsWith('### ')) {
      app = APPS.find((candidate) => line.includes(`(\`${candidate}\`)`)) ?? null;
      continue;
    }
    if (!app || !line.startsWith('| `')) continue;
    const [name, type, labels] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    metrics.push({ name: name.replace(/`/g, ''), type, app, labels: parseLabels(labels), fromStartUp: line.includes('at 0 from start-up') });
  }
  return metrics;
}

function parseLabels(cell: string): Map<string, string[] | null> {
  const labels = new Map<string, string[] | null>();
  for (const entry of cell.split(';').map((part) => part.trim()).filter(Boolean)) {
    const head = /^`([^`]+)`(:?)(.*)$/.exec(entry);
    if (!head) throw new Error(`a labels entry of docs/operations.md must start with \`label\`: ${entry}`);
    const [, label, closed, rest] = head;
    const values = [...rest.replace(/\([^)]*\)/g, '').matchAll(/`([^`]+)`/g)].map((match) => match[1]);
    labels.set(label, closed ? values : null);
  }
  return labels;
}
