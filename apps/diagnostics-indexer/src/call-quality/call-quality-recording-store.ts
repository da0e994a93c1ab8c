import type { SessionId } from '@sg/schema';
import { DelegatingSessionStore, renderSessionDocument, SessionFold, SessionRules, SessionStore, StoredSession } from '@sg/session';
import type { CallQualityRecorder } from './call-quality-metrics';
import { qualityChanges, SessionQuality, sessionQuality } from './session-quality';

/**
 * The indexer's session store, observed: it notes each session as loaded, and once a
 * write is durable, records what the write changed (a session started, failed, connected,
 * its path, new stats). Counting stored states keeps the counts exact across redeliveries
 * and shards moving between indexers: a session's state before a write is whatever the
 * store held, whoever wrote it.
 *
 * Relies on the indexer's turn (`SessionIndexer`): folds are loaded, then written, one
 * batch or deadline round at a time.
 */
export class CallQualityRecordingStore extends DelegatingSessionStore {
  private loaded = new Map<SessionId, SessionQuality>();

  constructor(
    inner: SessionStore,
    private readonly rules: SessionRules,
    private readonly recorder: CallQualityRecorder,
  ) {
    super(inner);
  }

  override async loadFolds(ids: readonly SessionId[]): Promise<Map<SessionId, SessionFold>> {
    const folds = await this.inner.loadFolds(ids);
    // a new turn: what an earlier one loaded and did not write changed nothing
    this.loaded = new Map();
    for (const [id, fold] of folds) this.loaded.set(id, sessionQuality(renderSessionDocument(fold, this.rules), fold));
    return folds;
  }

  override async write(sessions: readonly StoredSession[]): Promise<void> {
    await this.inner.write(sessions);
    for (const { document, fold } of sessions) {
      const after = sessionQuality(document, fold);
      this.recorder.record(qualityChanges(this.loaded.get(document.session_id) ?? null, after));
      // a second write in the same turn starts from this one
      this.loaded.set(document.session_id, after);
    }
  }
}
