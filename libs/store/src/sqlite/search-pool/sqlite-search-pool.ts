import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SessionSearchCancelledError, type SessionSearchQuery, type SessionSearchResult } from '@sg/session';
import { SQLITE_SEARCH_WORKER_ROLE, type SqliteSearchReply, type SqliteSearchWorkerData } from './sqlite-search-worker';

/**
 * The script a search worker runs: a file (a built app's own bundle, which checks
 * `isSqliteSearchWorker()`), or, with `eval`, JavaScript source.
 */
export interface SqliteSearchWorkerEntry {
  readonly filename: string | URL;
  readonly eval?: boolean;
}

export interface SqliteSearchPoolOptions {
  /** The SQLite file; workers open it read-only. */
  readonly path: string;
  /** Worker threads, each running one search at a time. */
  readonly size: number;
  readonly entry: SqliteSearchWorkerEntry;
}

interface Job {
  readonly id: number;
  readonly query: SessionSearchQuery;
  readonly resolve: (result: SessionSearchResult) => void;
  readonly reject: (error: Error) => void;
  readonly signal?: AbortSignal;
  readonly onAbort: () => void;
}

interface Slot {
  /** null while a worker that died on its own waits to be restarted. */
  worker: Worker | null;
  job: Job | null;
}

/** A worker that dies without being asked (it cannot open the file) is restarted after this, not in a tight loop. */
const RESTART_DELAY_MS = 1_000;

/**
 * Runs SQLite searches in worker threads (better-sqlite3 in `worker_threads`), so a search that
 * scans for seconds never holds the event loop: probes, metrics and other searches go on
 * (PROTOCOL section 3, "Limits"). A search whose signal aborts is cancelled at once: a queued one
 * is dropped, a running one's worker is terminated (SQLite cannot be interrupted from outside the
 * thread) and replaced by a fresh one.
 */
export class SqliteSearchPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SqliteSearchPoolOptions) {
    for (let i = 0; i < options.size; i++) this.slots.push({ worker: this.spawn(), job: null });
  }

  private opened = false;

  /**
   * True once a worker has opened the database (readiness). It stays true while cancelled
   * workers are replaced: a timed-out search must not take the app out of its load balancer.
   */
  get started(): boolean {
    return this.opened;
  }

  /** Searches waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Runs one search on a free worker, or after the ones queued before it. */
  run(query: SessionSearchQuery, signal?: AbortSignal): Promise<SessionSearchResult> {
    if (this.closed) return Promise.reject(new Error('the SQLite search pool is closed'));
    if (signal?.aborted) return Promise.reject(new SessionSearchCancelledError());
    return new Promise<SessionSearchResult>((resolveJob, rejectJob) => {
      const job: Job = {
        id: this.nextId++,
        query,
        signal,
        resolve: (result) => {
          signal?.removeEventListener('abort', job.onAbort);
          resolveJob(result);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', job.onAbort);
          rejectJob(error);
        },
        onAbort: () => this.cancel(job),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the SQLite search pool is closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.job?.reject(new Error('the SQLite search pool is closed'));
        slot.job = null;
        await slot.worker?.terminate();
      }),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job !== null || slot.worker === null) continue;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, query: job.query });
    }
  }

  private cancel(job: Job): void {
    const queuedAt = this.queue.indexOf(job);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
    } else {
      const slot = this.slots.find((candidate) => candidate.job === job);
      if (!slot) return;
      this.replace(slot);
    }
    job.reject(new SessionSearchCancelledError());
  }

  /** Ends a slot's worker, whatever it is doing, and puts a fresh one in its place. */
  private replace(slot: Slot, delayMs = 0): void {
    const old = slot.worker;
    if (old) {
      old.removeAllListeners();
      // a termination error must not become an unhandled 'error' event
      old.on('error', () => undefined);
      void old.terminate();
    }
    slot.worker = null;
    slot.job = null;
    const restart = () => {
      if (this.closed) return;
      slot.worker = this.spawn();
      this.dispatch();
    };
    if (delayMs === 0) restart();
    else setTimeout(restart, delayMs).unref();
  }

  private spawn(): Worker {
    const workerData: SqliteSearchWorkerData = { role: SQLITE_SEARCH_WORKER_ROLE, path: resolve(this.options.path) };
    const worker = new Worker(this.options.entry.filename, { eval: this.options.entry.eval ?? false, workerData });
    // an idle pool must not keep the process alive
    worker.unref();
    worker.on('message', (reply: SqliteSearchReply) => this.settle(worker, reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`SQLite search worker exited with ${code}`)));
    return worker;
  }

  private settle(worker: Worker, reply: SqliteSearchReply): void {
    const slot = this.slots.find((candidate) => candidate.worker === worker);
    if (slot && 'ready' in reply) {
      this.opened = true;
      return;
    }
    const job = slot?.job;
    if (!slot || !job || !('id' in reply) || job.id !== reply.id) return;
    slot.job = null;
    if ('error' in reply) job.reject(new Error(reply.error));
    else job.resolve(reply.result as SessionSearchResult);
    this.dispatch();
  }

  /** A worker that died (it could not open the file, or crashed): its search fails, a new worker takes its place. */
  private fail(worker: Worker, error: Error): void {
    const slot = this.slots.find((candidate) => candidate.worker === worker);
    if (!slot) return;
    const job = slot.job;
    this.replace(slot, job ? 0 : RESTART_DELAY_MS);
    job?.reject(error);
  }
}

/**
 * The worker entry for code that runs from TypeScript sources (tests, the bench): tsx's CommonJS
 * hook compiles the worker file and resolves the workspace's `@sg/*` paths in the thread.
 */
export function tsxSqliteSearchWorkerEntry(): SqliteSearchWorkerEntry {
  const file = resolve(__dirname, 'sqlite-search-worker.main.ts');
  return { eval: true, filename: `require('tsx/cjs'); require(${JSON.stringify(file)});` };
}
