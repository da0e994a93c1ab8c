import type { SessionDocument, SessionId } from '@sg/schema';
import type { SessionFold } from '../fold/session-fold';
import type { SessionSearchOptions, SessionSearchQuery, SessionSearchResult } from '../search/session-search';
import { SessionStore, StoredSession } from './session-store';

/**
 * A `SessionStore` that hands every call to `inner`, as it is. A store that observes another
 * (tracing its writes, counting what they change) extends it and overrides only what it adds.
 * It sits beside the port so that a method added there is forwarded here in the same change.
 */
export abstract class DelegatingSessionStore extends SessionStore {
  constructor(protected readonly inner: SessionStore) {
    super();
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  write(sessions: readonly StoredSession[]): Promise<void> {
    return this.inner.write(sessions);
  }

  loadFolds(ids: readonly SessionId[]): Promise<Map<SessionId, SessionFold>> {
    return this.inner.loadFolds(ids);
  }

  get(id: SessionId): Promise<SessionDocument | null> {
    return this.inner.get(id);
  }

  search(query: SessionSearchQuery, options?: SessionSearchOptions): Promise<SessionSearchResult> {
    return this.inner.search(query, options);
  }

  deleteEndedBefore(cutoff: number): Promise<number> {
    return this.inner.deleteEndedBefore(cutoff);
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
