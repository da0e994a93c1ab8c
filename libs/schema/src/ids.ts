/** Branded identifiers: a PeerId can never be passed where a RoomId is expected. */
export type RoomId = string & { readonly __brand: 'RoomId' };
export type PeerId = string & { readonly __brand: 'PeerId' };
export type NodeId = string & { readonly __brand: 'NodeId' };
export type SessionId = string & { readonly __brand: 'SessionId' };

/** PROTOCOL section 1: `room` is `^[A-Za-z0-9_-]{1,64}$`. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A gateway's `NODE_ID` (configuration.md): also part of Redis keys, hence the narrow alphabet. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/;

/**
 * PROTOCOL section 1, "The probe peer": the peer id of every gateway node's own WebRTC peer.
 * Admitted peers get UUIDs, so no client can ever hold it.
 */
export const PROBE_PEER_ID = 'probe' as PeerId;
