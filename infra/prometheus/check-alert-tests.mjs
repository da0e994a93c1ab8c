// Every alert of alerts.yml has a unit test (alerts*.test.yml) that fires it (a non-empty
// exp_alerts) and one it must stay silent on (an empty exp_alerts), and every alertname a
// test names is a rule: promtool passes a test of an alert nobody wrote, or none at all.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const rules = parse(readFileSync(join(here, 'alerts.yml'), 'utf8'));
const testFiles = readdirSync(here).filter((file) => /^alerts.*\.test\.yml$/.test(file));
const tests = testFiles.flatMap((file) => parse(readFileSync(join(here, file), 'utf8')).tests);

const alerts = rules.groups.flatMap((group) => group.rules.filter((rule) => rule.alert).map((rule) => rule.alert));
const firing = new Set();
const silent = new Set();
const named = new Set();
for (const test of tests) {
  for (const check of test.alert_rule_test ?? []) {
    named.add(check.alertname);
    ((check.exp_alerts ?? []).length > 0 ? firing : silent).add(check.alertname);
  }
}

const problems = [
  ...alerts.filter((alert) => !firing.has(alert)).map((alert) => `${alert}: no test where it fires`),
  ...alerts.filter((alert) => !silent.has(alert)).map((alert) => `${alert}: no test where it stays silent`),
  ...[...named].filter((name) => !alerts.includes(name)).map((name) => `${name}: tested, but alerts.yml has no such alert`),
];
if (problems.length > 0) {
  console.error(`${testFiles.join(', ')} do not cover alerts.yml:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${testFiles.join(', ')}: each of the ${alerts.length} alerts fires in a test and stays silent in another`);
