import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SessionSearchQuery } from '@sg/session';
import { registerSqliteFilterFunctions } from '../compile-sqlite-filter';
import { BUSY_TIMEOUT_MS, retryWhileBusy } from '../retry-while-busy';
import { searchSqliteSessions } from '../sqlite-session-search';

/** `workerData.role` of a search worker, so an app's entry file can tell a worker start from its own. */
export const SQLITE_SEARCH_WORKER_ROLE = 'sg-sqlite-search';

/** What a search worker is started with. */
export interface SqliteSearchWorkerData {
  readonly role: typeof SQLITE_SEARCH_WORKER_ROLE;
  readonly path: string;
}

/** A search handed to a worker, and its answer. */
export interface SqliteSearchRequest {
  readonly id: number;
  readonly query: SessionSearchQuery;
}
export type SqliteSearchReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: string }
  /** Sent once, when the connection is open: the pool counts ready workers for `/readyz`. */
  | { readonly ready: true };

/** True in a thread started by `SqliteSearchPool`: the entry file then calls `runSqliteSearchWorker()` instead of starting the app. */
export function isSqliteSearchWorker(): boolean {
  return !isMainThread && (workerData as Partial<SqliteSearchWorkerData> | null)?.role === SQLITE_SEARCH_WORKER_ROLE;
}

/**
 * The body of a search worker: one read-only connection on the WAL file (readers never block
 * the indexer's writes, nor each other), then one search per message, each answered by id.
 * Runs until the pool terminates the thread.
 */
export function runSqliteSearchWorker(): void {
  const { path } = workerData as SqliteSearchWorkerData;
  const port = parentPort;
  if (!port) throw new Error('runSqliteSearchWorker() must run in a worker thread');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // the compiled filters and the expression indexes call sg_facet_key()
  registerSqliteFilterFunctions(db);
  port.postMessage({ ready: true } satisfies SqliteSearchReply);
  port.on('message', ({ id, query }: SqliteSearchRequest) => {
    let reply: SqliteSearchReply;
    try {
      // the first read sets up the WAL's shared memory, where another process's start answers BUSY at once
      reply = { id, result: retryWhileBusy(() => searchSqliteSessions(db, query), BUSY_TIMEOUT_MS) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}
