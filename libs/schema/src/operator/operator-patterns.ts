/**
 * Patterns of the NestJS Redis microservice transport between the apps (PROTOCOL
 * sections 3 and 4). An operator action is addressed to the one gateway node that holds
 * the peer or room: its node id is part of the pattern, so only that node subscribes to
 * it and answers (a shared pattern would have every node reply, the first reply winning).
 */
export const OPERATOR_PATTERNS = {
  kickPeer: (node: string) => `gateway.${node}.kick-peer`,
  closeRoom: (node: string) => `gateway.${node}.close-room`,
  drain: (node: string) => `gateway.${node}.drain`,
  undrain: (node: string) => `gateway.${node}.undrain`,
} as const;

/** Notifications every gateway node sends about itself; admin-search keeps `GET /api/nodes` fresh with them. */
export const NODE_LIFECYCLE_EVENTS = {
  started: 'node.started',
  draining: 'node.draining',
  undrained: 'node.undrained',
  stopped: 'node.stopped',
} as const;

export type NodeLifecycleEventName = (typeof NODE_LIFECYCLE_EVENTS)[keyof typeof NODE_LIFECYCLE_EVENTS];

/** How long admin-search waits for the owning node before answering 504 (PROTOCOL section 3). */
export const OPERATOR_ACTION_TIMEOUT_MS = 3_000;
