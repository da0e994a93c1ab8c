import { h } from './dom.js';

/** A session's connection_state as a coloured badge; `failed` is red wherever it appears. */
export function stateBadge(state) {
  return h('span', { class: `badge state-${state}`, text: state });
}
