import { h, replaceChildren } from './dom.js';
import { formatMs, formatNumber, formatTime, formatValue } from './format.js';
import { stateBadge } from './state-badge.js';

/** Columns of the results table; `sort` names a sortable field of PROTOCOL section 2. */
const COLUMNS = [
  { title: 'Created (UTC)', sort: 'created_at', cell: (s) => stackedTime(s.created_at) },
  { title: 'Room', cell: (s) => s.room_id },
  { title: 'State', cell: (s) => stateBadge(s.connection_state) },
  { title: 'Failure', wrap: true, cell: (s) => formatValue(s.failure_reason) },
  { title: 'Peers', cell: (s) => pair(s.client_a_id, s.client_b_id) },
  { title: 'Users', cell: (s) => pair(formatValue(s.client_a_user), formatValue(s.client_b_user)) },
  { title: 'To connected', sort: 'time_to_connected_ms', cell: (s) => formatMs(s.time_to_connected_ms) },
  { title: 'Duration', sort: 'duration_ms', cell: (s) => formatMs(s.duration_ms) },
  { title: 'RTT', sort: 'rtt_ms', cell: (s) => formatNumber(s.rtt_ms, 'ms') },
  { title: 'Updated (UTC)', sort: 'updated_at', cell: (s) => stackedTime(s.updated_at) },
];

/** Date over time of day, for the same reason. */
function stackedTime(seconds) {
  const text = formatTime(seconds, { ms: false });
  return h('span', { class: 'pair' }, [h('span', { text: text.slice(0, 10) }), h('span', { text: text.slice(11) })]);
}

/** A's and B's values on two lines: peer ids are long, side by side they would widen the table past a laptop screen. */
function pair(a, b) {
  return h('span', { class: 'pair' }, [h('span', { text: `A ${a}` }), h('span', { text: `B ${b}` })]);
}

/**
 * Renders hits into `table`. A click on a sortable header calls `onSort(field)`; a click
 * on a row (or Enter on its focused first cell) calls `onOpen(sessionId)`.
 */
export function renderResultsTable(table, hits, sort, { onSort, onOpen }) {
  const headRow = h(
    'tr',
    {},
    COLUMNS.map((column) => {
      if (!column.sort) return h('th', { scope: 'col', text: column.title });
      const active = sort.field === column.sort;
      const arrow = active ? (sort.direction === 'desc' ? ' ▼' : ' ▲') : '';
      return h('th', { scope: 'col', 'aria-sort': active ? (sort.direction === 'desc' ? 'descending' : 'ascending') : 'none' }, [
        h('button', { type: 'button', class: 'sort', dataset: { sort: column.sort }, text: `${column.title}${arrow}`, on: { click: () => onSort(column.sort) } }),
      ]);
    }),
  );
  const rows = hits.map((session) =>
    h(
      'tr',
      {
        class: `result${session.connection_state === 'failed' ? ' failure' : ''}`,
        dataset: { sessionId: session.session_id },
        on: { click: () => onOpen(session.session_id) },
      },
      COLUMNS.map((column, index) => {
        const value = column.cell(session);
        // the first cell is a button (the click bubbles to the row), so rows open from the keyboard too
        if (index === 0) return h('td', {}, [h('button', { type: 'button', class: 'open-session', title: session.session_id }, [value])]);
        return h('td', { class: column.wrap ? 'wrap' : null }, [value]);
      }),
    ),
  );
  if (rows.length === 0) rows.push(h('tr', {}, [h('td', { colspan: COLUMNS.length, class: 'muted', text: 'No sessions match.' })]));
  replaceChildren(table, [h('thead', {}, [headRow]), h('tbody', {}, rows)]);
}
