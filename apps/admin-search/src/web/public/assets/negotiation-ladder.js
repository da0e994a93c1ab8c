import { h } from './dom.js';
import { formatTime } from './format.js';

/** Signals the gateway relays from one peer to the other; everything else a peer sends is a report to the gateway. */
const RELAYED = new Set(['offer', 'answer', 'candidate']);

/** Server-side verdicts the indexer writes into the timeline when a deadline passes. */
const DEADLINES = new Set(['no-answer', 'ice-timeout']);

const CONNECTED_REPORT = /\b(connection connected|ice connected|ice completed)\b/;
const FAILED_REPORT = /\bfailed\b/;
const REASON_GIVEN = /\breason: /;
const HANG_UP = /\bconnection closed\b/;

/** Events farther apart than this get a marker, so a timeout's wait is visible. */
const GAP_MARKER_S = 1;

/**
 * The timeline of a session document as ladder steps: who sent what to whom, and whether
 * it is a failure. `t` is Unix seconds, as in the document (`render-session-document.ts`).
 * Relayed signals and departures go from the sender through the gateway to the other
 * peer; state and stats reports end at the gateway; server events sit on the gateway.
 */
export function ladderSteps(session) {
  const events = Array.isArray(session.events) ? session.events : [];
  const connected = events.find((event) => event.type === 'state' && CONNECTED_REPORT.test(event.detail ?? ''));
  const connectedAt = connected ? connected.t : null;
  const start = events.length > 0 ? Math.min(session.created_at ?? events[0].t, events[0].t) : session.created_at;
  return events.map((event) => {
    const peer = event.by === 'a' || event.by === 'b' ? event.by : null;
    const throughGateway = peer !== null && (RELAYED.has(event.type) || event.type === 'peer-left');
    const from = peer ?? 'gateway';
    const to = throughGateway ? (peer === 'a' ? 'b' : 'a') : 'gateway';
    return {
      t: event.t,
      sinceStart: event.t - start,
      type: event.type,
      by: event.by,
      detail: event.detail ?? null,
      from,
      to,
      failure: isFailure(event, connectedAt),
    };
  });
}

function isFailure(event, connectedAt) {
  if (DEADLINES.has(event.type)) return true;
  if (event.type === 'state') {
    const detail = event.detail ?? '';
    if (FAILED_REPORT.test(detail)) return true;
    // a reason before connected is the app giving up (client-reported); a hang-up, or a reason after connected, is not a failure
    return REASON_GIVEN.test(detail) && !HANG_UP.test(detail) && (connectedAt === null || event.t < connectedAt);
  }
  if (event.type === 'peer-left') return connectedAt === null || event.t < connectedAt;
  return false;
}

function label(step) {
  if (step.type === 'peer-left') return `${step.by === 'a' ? 'A' : step.by === 'b' ? 'B' : 'peer'} left${step.detail ? ` (${step.detail})` : ''}`;
  return step.detail ? `${step.type}: ${step.detail}` : step.type;
}

function direction(step) {
  if (step.from === 'gateway') return 'at-gateway';
  return `from-${step.from} to-${step.to}`;
}

/** The negotiation ladder: peer A left, the gateway in the middle, peer B right, time running down. */
export function renderLadder(session) {
  const steps = ladderSteps(session);
  const head = h('div', { class: 'ladder-head', 'aria-hidden': 'true' }, [
    h('span', { class: 'ladder-time' }),
    h('div', { class: 'ladder-lanes' }, [
      h('span', { class: 'lane-title' }, [h('strong', { text: 'Peer A' }), h('small', { text: session.client_a_id })]),
      h('span', { class: 'lane-title' }, [h('strong', { text: 'Gateway' })]),
      h('span', { class: 'lane-title' }, [h('strong', { text: 'Peer B' }), h('small', { text: session.client_b_id })]),
    ]),
  ]);
  const items = [];
  steps.forEach((step, index) => {
    const previous = steps[index - 1];
    if (previous && step.t - previous.t > GAP_MARKER_S) {
      items.push(h('li', { class: 'ladder-gap', text: `${(step.t - previous.t).toFixed(1)} s later` }));
    }
    items.push(
      h(
        'li',
        {
          class: `ladder-step ${direction(step)}${step.failure ? ' failure' : ''}`,
          dataset: { type: step.type, by: step.by, from: step.from, to: step.to },
          title: formatTime(step.t),
        },
        [
          h('time', { class: 'ladder-time', text: `+${step.sinceStart.toFixed(3)} s` }),
          h('div', { class: 'ladder-lanes' }, [
            h('div', { class: 'ladder-arrow' }, [h('span', { class: 'ladder-label', text: label(step) }), h('span', { class: 'ladder-line' })]),
          ]),
        ],
      ),
    );
  });
  if (steps.length === 0) items.push(h('li', { class: 'ladder-gap', text: 'no events recorded' }));
  return h('figure', { class: 'ladder' }, [
    h('figcaption', { text: 'Negotiation, time running down' }),
    head,
    h('ol', { class: 'ladder-steps' }, items),
  ]);
}
