/**
 * Field limits of the wire protocol. They sit well under the default
 * MESSAGE_MAX_BYTES (65536) so a frame that passes the size check can still be
 * refused with a precise `schema-error` naming the field.
 */
export const LIMITS = {
  /** Display name, PROTOCOL section 1. */
  nameMaxLength: 64,
  /** Real SDPs are 2-15 KB; 32 KiB leaves room for many m-lines and simulcast. */
  sdpMaxLength: 32_768,
  /** A candidate line is ~100-250 chars; 1 KiB is generous and bounds abuse. */
  candidateMaxLength: 1_024,
  sdpMidMaxLength: 64,
  usernameFragmentMaxLength: 256,
  sdpMLineIndexMax: 1_023,
  /** Peer ids are UUIDs (36 chars); 64 leaves room without allowing junk. */
  peerIdMaxLength: 64,
  /** The client's correlation `id`, echoed as `ref`. */
  messageIdMaxLength: 128,
  /** `state.reason`, PROTOCOL section 1. */
  stateReasonMaxLength: 256,
  /** String values in a `stats.report` ("short strings"). */
  statsStringMaxLength: 64,
} as const;
