import type { StatsReportedEvent } from '@sg/schema';
import { isLater } from './fold-order';
import { addToTimeline, addUnique, count, noteNode, sideOf } from './fold-updates';
import type { SessionFold } from './session-fold';
import { describeStats } from './timeline-details';

const CANDIDATE_PAIRS_KEPT = 16;

/** A client's stats report, on a fold `applySessionEvent` owns. */
export function applyStats(session: SessionFold, event: StatsReportedEvent): void {
  const by = sideOf(session, event.peer);
  if (!by) return;
  noteNode(session, by, event);
  count(session, 'stats');
  const { report } = event;
  setStat(session, 'rtt_ms', event.t, report.rttMs);
  setStat(session, 'packet_loss_pct', event.t, report.packetLossPct);
  setStat(session, 'jitter_ms', event.t, report.jitterMs);
  setStat(session, 'bitrate_kbps', event.t, report.bitrateKbps);
  const local = report.localCandidateType;
  const remote = report.remoteCandidateType;
  if (local !== undefined || remote !== undefined) {
    // sticky: a call that went through a relay at any point used one
    session.relayUsed = session.relayUsed === true || local === 'relay' || remote === 'relay';
  }
  if (local !== undefined && remote !== undefined) {
    const protocol = report.protocol ?? 'udp';
    const localProtocol = local === 'relay' && report.relayProtocol ? report.relayProtocol : protocol;
    addUnique(session.candidatePairs, `${local}/${localProtocol} -> ${remote}/${protocol}`);
    if (session.candidatePairs.length > CANDIDATE_PAIRS_KEPT) session.candidatePairs.splice(CANDIDATE_PAIRS_KEPT);
  }
  addToTimeline(session, { t: event.t, type: 'stats', by, detail: describeStats(event) });
}

function setStat(session: SessionFold, field: keyof SessionFold['stats'], t: number, v: number | undefined): void {
  if (v !== undefined && isLater(t, v, session.stats[field])) session.stats[field] = { t, v };
}
