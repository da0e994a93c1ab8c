/** One scenario's measured time from its decisive moment to its document being found. */
export interface Finding {
  readonly scenario: string;
  readonly expected: string;
  readonly seconds: number;
}

const findings: Finding[] = [];

export function recordFinding(finding: Finding): void {
  findings.push(finding);
}

/** Prints the scenarios measured so far as the table docs/testing.md keeps, then forgets them. */
export function writeFindings(title: string): void {
  if (findings.length === 0) return;
  const rows = findings.splice(0).map((f) => `| ${f.scenario} | ${f.expected} | ${f.seconds.toFixed(2)} |`);
  process.stdout.write(['', `${title}: seconds from the decisive moment to the document found by one admin query`, '', '| scenario | expected document | seconds to findable |', '| --- | --- | --- |', ...rows, ''].join('\n'));
}
