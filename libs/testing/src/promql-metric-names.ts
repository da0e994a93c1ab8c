/** Words of PromQL that read like metric names but are operators, modifiers or literals. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'atan2', 'inf', 'nan']);

/**
 * The metric names a PromQL expression (or a Grafana query such as
 * `label_values(metric, label)`) selects: every bare identifier that is not a function,
 * an aggregation, a keyword, a label or a Grafana variable. Enough PromQL for checking
 * that dashboards and alert rules name metrics that exist; not a parser.
 */
export function promqlMetricNames(expr: string): string[] {
  let text = expr
    // strings first: a matcher value may hold braces, brackets or words
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    // label matchers, then ranges and subqueries ([5m], [$__rate_interval], [10m:1m])
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    // label lists of aggregations and vector matching
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  // Grafana's label_values(metric, label): its second argument is a label
  text = text.replace(/\blabel_values\s*\(([^,()]*),[^()]*\)/g, ' $1 ');
  text = text.replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  // numbers and durations (0.99, 1e3, 5m, 1d) are consumed whole so their letters are not read as names
  for (const match of text.matchAll(/[0-9][0-9a-zA-Z_.]*|[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    if (/^[0-9]/.test(word) || KEYWORDS.has(word.toLowerCase())) continue;
    // a function or an aggregation: sum(...), rate(...), histogram_quantile(...)
    if (/^\s*\(/.test(text.slice((match.index ?? 0) + word.length))) continue;
    names.add(word);
  }
  return [...names].sort();
}
