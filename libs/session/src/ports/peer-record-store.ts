import type { PeerKey, PeerRecord } from '../fold/fold-session-events';

/** The indexer's memory of peers between batches (profiles, partners), shared by indexer instances. */
export abstract class PeerRecordStore {
  abstract load(keys: readonly PeerKey[]): Promise<Map<PeerKey, PeerRecord>>;
  abstract save(records: ReadonlyMap<PeerKey, PeerRecord>): Promise<void>;
}
