/** Candidate kinds of PROTOCOL section 2 (`candidate_types_a`/`_b`). */
export const CANDIDATE_KINDS = ['host', 'srflx', 'prflx', 'relay'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

export interface CandidateClass {
  kind: CandidateKind | null;
  transport: 'udp' | 'tcp' | null;
  /** The address is an mDNS name (`<uuid>.local`), as browsers hide host IPs. */
  mdns: boolean;
}

/**
 * Reads a trickle ICE candidate line (RFC 8839 section 5.1:
 * `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...`).
 * Anything unparseable yields nulls rather than an error: diagnostics must not refuse a
 * candidate the peers themselves accepted. `""` (end of candidates) has no class.
 */
export function classifyCandidate(line: string): CandidateClass {
  const fields = line.trim().replace(/^a=/, '').split(/\s+/);
  if (fields.length < 8 || !fields[0].startsWith('candidate:')) return { kind: null, transport: null, mdns: false };
  const transport = fields[2].toLowerCase();
  const address = fields[4].toLowerCase();
  const typIndex = fields.indexOf('typ', 6);
  const type = typIndex > 0 ? fields[typIndex + 1]?.toLowerCase() : undefined;
  return {
    kind: (CANDIDATE_KINDS as readonly string[]).includes(type ?? '') ? (type as CandidateKind) : null,
    transport: transport === 'udp' || transport === 'tcp' ? transport : null,
    mdns: address.endsWith('.local'),
  };
}

/** The markers a candidate adds to its side's `candidate_types`: its kind, plus `mdns` and `tcp`. */
export function candidateMarkers(line: string): string[] {
  const candidate = classifyCandidate(line);
  const markers: string[] = [];
  if (candidate.kind) markers.push(candidate.kind);
  if (candidate.mdns) markers.push('mdns');
  if (candidate.transport === 'tcp') markers.push('tcp');
  return markers;
}
