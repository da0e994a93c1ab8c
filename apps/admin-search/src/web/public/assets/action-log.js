import { h, replaceChildren } from './dom.js';
import { formatTime } from './format.js';

/** GET /api/actions, newest first: time (UTC), action, target, result, and where it ran and came from. */
export function renderActionLog(element, actions) {
  const items = actions.map((entry) =>
    h('li', { dataset: { action: entry.action, target: entry.target, result: entry.result } }, [
      h('time', { text: formatTime(entry.t, { ms: false }).slice(11), title: `${formatTime(entry.t)} UTC` }),
      h('strong', { text: entry.action }),
      h('span', { class: 'action-target', text: entry.target }),
      h('span', { class: `action-result result-${entry.result === 'ok' ? 'ok' : 'failed'}`, text: entry.result }),
      h('span', { class: 'muted action-where', text: `${entry.node_id ? `node ${entry.node_id} · ` : ''}from ${entry.remote_addr}` }),
    ]),
  );
  replaceChildren(element, items.length > 0 ? items : [h('li', { class: 'muted', text: 'no actions yet' })]);
}
