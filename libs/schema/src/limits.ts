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
  /** A JWT in `?token=`: generous for RS256 tokens with many claims. */
  tokenMaxLength: 4_096,
  /** `?resume=`: our tokens are 43 characters. */
  resumeTokenMaxLength: 256,
  /** `state.reason`, PROTOCOL section 1. */
  stateReasonMaxLength: 256,
  /** String values in a `stats.report` ("short strings"). */
  statsStringMaxLength: 64,
  /** `user` of a peer-joined session event: the token's subject. */
  userMaxLength: 256,
  /** `remoteAddr` of a peer-joined event: `[` + the longest IPv6 text (45) + `]:65535` fits. */
  remoteAddrMaxLength: 64,
  /** `userAgent` of a peer-joined event; the gateway cuts the header to this length. */
  userAgentMaxLength: 512,
  /** Events in one session-event stream entry; gateways write at most 500, so more is not ours. */
  sessionEventBatchMaxLength: 10_000,
} as const;
