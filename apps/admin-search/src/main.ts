import { isSqliteSearchWorker, runSqliteSearchWorker } from '@sg/store';

// One bundle to ship: the SQLite search workers run this same file. The app itself is loaded
// only on the main thread (a require here, evaluated lazily in the bundle), so a worker starts
// without Nest and the app's modules.
if (isSqliteSearchWorker()) {
  runSqliteSearchWorker();
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startAdminSearch } = require('./start-admin-search') as typeof import('./start-admin-search');
  startAdminSearch({ filename: __filename }).catch((error: unknown) => {
    process.stderr.write(`admin-search: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
