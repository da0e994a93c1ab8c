import type { StateReportedEvent, StatsReportedEvent } from '@sg/schema';
import { classifyCandidate } from './classify-candidate';
import { END_OF_CANDIDATES } from './fold-order';

// The `detail` text of timeline entries: what an operator reads on the ladder.

/** A candidate as its kind and transport (`host udp`, `relay tcp mdns`), or the end of candidates. */
export function describeCandidate(line: string): string {
  if (line.trim() === '') return END_OF_CANDIDATES;
  const candidate = classifyCandidate(line);
  return [candidate.kind ?? 'unknown', candidate.transport, candidate.mdns ? 'mdns' : null].filter(Boolean).join(' ');
}

/** A state report as the states it gave, with the client's reason. */
export function describeState(event: StateReportedEvent): string {
  const parts: string[] = [];
  if (event.connectionState) parts.push(`connection ${event.connectionState}`);
  if (event.iceConnectionState) parts.push(`ice ${event.iceConnectionState}`);
  if (event.signalingState) parts.push(`signaling ${event.signalingState}`);
  if (event.iceGatheringState) parts.push(`gathering ${event.iceGatheringState}`);
  if (event.dtlsState) parts.push(`dtls ${event.dtlsState}`);
  // an empty reason still made the session client-reported: the timeline shows that it came
  if (event.reason !== undefined) parts.push(event.reason === '' ? 'reason: (empty)' : `reason: ${event.reason}`);
  return parts.join(', ');
}

/** A stats report as its figures and the pair it names. */
export function describeStats(event: StatsReportedEvent): string {
  const r = event.report;
  const parts: string[] = [];
  if (r.rttMs !== undefined) parts.push(`rtt ${r.rttMs} ms`);
  if (r.packetLossPct !== undefined) parts.push(`loss ${r.packetLossPct}%`);
  if (r.jitterMs !== undefined) parts.push(`jitter ${r.jitterMs} ms`);
  if (r.bitrateKbps !== undefined) parts.push(`${r.bitrateKbps} kbps`);
  if (r.localCandidateType !== undefined || r.remoteCandidateType !== undefined) {
    parts.push(`${r.localCandidateType ?? '?'} -> ${r.remoteCandidateType ?? '?'}${r.protocol ? ` (${r.protocol})` : ''}`);
  }
  return parts.join(', ');
}
