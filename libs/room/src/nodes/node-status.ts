import type { NodeId } from '@sg/schema';

/** A gateway node as `GET /api/nodes` shows it (PROTOCOL section 3); times in Unix seconds. */
export interface NodeStatus {
  readonly node_id: NodeId;
  readonly connections: number;
  readonly rooms: number;
  readonly started_at: number;
  readonly last_seen: number;
  readonly draining: boolean;
}
