import { runSqliteSearchWorker } from './sqlite-search-worker';

// The worker entry for code run from TypeScript sources (tests, bench): see `tsxSqliteSearchWorkerEntry`.
// A built app starts its workers from its own bundle instead (apps/admin-search/src/main.ts).
runSqliteSearchWorker();
