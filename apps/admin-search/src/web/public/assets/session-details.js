import { h } from './dom.js';
import { formatMs, formatNumber, formatTime, formatValue } from './format.js';
import { renderLadder } from './negotiation-ladder.js';
import { stateBadge } from './state-badge.js';

function definitions(rows, className) {
  return h(
    'dl',
    { class: `definitions ${className ?? ''}` },
    rows.flatMap(([term, value, key]) => [h('dt', { text: term }), h('dd', { text: value, dataset: key ? { field: key } : undefined })]),
  );
}

function peerCard(session, side) {
  const field = (name) => session[`client_${side}_${name}`];
  return h('section', { class: `peer-card peer-${side}`, dataset: { peer: side } }, [
    h('h3', { text: side === 'a' ? 'Peer A (offerer)' : session.client_b_id === 'probe' ? 'Peer B (the gateway\'s probe)' : 'Peer B (answerer)' }),
    definitions([
      ['Peer id', formatValue(field('id')), 'id'],
      ['User', formatValue(field('user')), 'user'],
      ['Address', formatValue(field('remote_addr')), 'remote_addr'],
      ['User agent', formatValue(field('user_agent')), 'user_agent'],
      ['Node', formatValue(field('node')), 'node'],
      ['Candidate types', formatValue(session[`candidate_types_${side}`]), 'candidate_types'],
    ]),
  ]);
}

/** The whole session document: outcome, both peers, timing and quality, and the negotiation ladder. */
export function renderSessionDetails(session) {
  const failed = session.connection_state === 'failed';
  const outcome = h('p', { class: `outcome${failed ? ' failure' : ''}` }, [
    stateBadge(session.connection_state),
    session.failure_reason ? h('strong', { class: 'failure-reason', text: ` ${session.failure_reason}` }) : null,
    session.failure_detail ? h('span', { text: ` — ${session.failure_detail}` }) : null,
  ]);
  const counts = Object.entries(session.message_counts ?? {})
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  return h('div', { class: 'session-details' }, [
    definitions(
      [
        ['Session', session.session_id],
        ['Room', session.room_id],
        ['Kind', session.kind === 'probe' ? 'probe (connectivity test against the node\'s own peer)' : formatValue(session.kind)],
        // the OpenTelemetry trace of the session: look it up by this id in the tracing backend (docs/operations.md, "Tracing")
        ['Trace', session.trace_id ?? 'not traced', 'trace_id'],
      ],
      'session-ids',
    ),
    outcome,
    h('div', { class: 'peers' }, [peerCard(session, 'a'), peerCard(session, 'b')]),
    h('section', { class: 'timing' }, [
      h('h3', { text: 'Timing and quality' }),
      definitions([
        ['Created', formatTime(session.created_at)],
        ['Updated', formatTime(session.updated_at)],
        ['Ended', session.ended_at === null ? 'not ended' : `${formatTime(session.ended_at)}${session.end_reason ? ` (${session.end_reason})` : ''}`],
        ['Time to answer', formatMs(session.time_to_answer_ms)],
        ['Time to connected', formatMs(session.time_to_connected_ms)],
        ['Duration', formatMs(session.duration_ms)],
        ['ICE / signaling / gathering', [session.ice_connection_state, session.signaling_state, session.ice_gathering_state].map(formatValue).join(' / ')],
        ['ICE restarts', formatValue(session.ice_restarts)],
        ['Renegotiations', formatValue(session.renegotiations)],
        ['Relay used', formatValue(session.relay_used)],
        ['Candidate pairs', formatValue(session.candidate_pairs)],
        ['RTT', formatNumber(session.rtt_ms, 'ms')],
        ['Packet loss', formatNumber(session.packet_loss_pct, '%')],
        ['Jitter', formatNumber(session.jitter_ms, 'ms')],
        ['Bitrate', formatNumber(session.bitrate_kbps, 'kbps')],
        ['Messages', counts || '—'],
      ], 'timing-list'),
    ]),
    h('section', { class: 'timeline' }, [h('h3', { text: `Timeline (${(session.events ?? []).length} events)` }), renderLadder(session)]),
  ]);
}
