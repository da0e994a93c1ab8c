/**
 * The ICE username fragment of an SDP (`a=ice-ufrag:`, session- or media-level; the first
 * one). Two offers of one pair with different fragments are an ICE restart, with the same
 * one a renegotiation (PROTOCOL section 2). Undefined when the SDP carries none.
 */
export function iceUfragOf(sdp: string): string | undefined {
  const match = /(?:^|\r?\n)a=ice-ufrag:([^\r\n]*)/.exec(sdp);
  const ufrag = match?.[1].trim();
  return ufrag ? ufrag.slice(0, ICE_UFRAG_MAX_LENGTH) : undefined;
}

/** RFC 8839 allows 4 to 256 ice-chars; anything longer is cut, never trusted to size a record. */
export const ICE_UFRAG_MAX_LENGTH = 256;
