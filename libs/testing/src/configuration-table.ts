import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type ConfiguredApp = 'gateway' | 'diagnostics-indexer' | 'admin-search';

/** One app's column of docs/configuration.md: variable -> documented default. */
export function documentedVariables(app: ConfiguredApp): Map<string, string> {
  const text = readFileSync(resolve(__dirname, '../../../docs/configuration.md'), 'utf8');
  const rows = text.split('\n').filter((line) => line.startsWith('| `'));
  const column = { gateway: 1, 'diagnostics-indexer': 2, 'admin-search': 3 }[app];
  const variables = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split('|').slice(1, -1).map((cell) => cell.trim());
    const name = cells[0].replace(/`/g, '');
    const value = cells[column].replace(/`/g, '');
    if (value !== '—') variables.set(name, value);
  }
  return variables;
}

/** How the table writes a default: `(none)` when unset, lists comma-joined. */
export function documentedDefault(value: unknown): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  return String(value);
}

/** The shared check that docs/configuration.md lists exactly an app's variables, with their defaults. */
export function describeConfigurationDocs(app: ConfiguredApp, envClass: new () => object): void {
  describe(`docs/configuration.md for ${app}`, () => {
    const documented = documentedVariables(app);
    const defaults = new envClass() as Record<string, unknown>;
    // NODE_ID's default is computed (host name + random suffix): documented in words
    const withStaticDefaults = Object.keys(defaults).filter((name) => name !== 'NODE_ID');

    it(`documents every variable ${app} reads, and no other`, () => {
      expect([...documented.keys()].sort()).toEqual(Object.keys(defaults).sort());
    });

    it.each(withStaticDefaults)('documents the default of %s', (name) => {
      const documentedValue = documented.get(name);
      if (documentedValue === 'required') expect(defaults[name]).toBeUndefined();
      else expect(documentedValue).toBe(documentedDefault(defaults[name]));
    });
  });
}
