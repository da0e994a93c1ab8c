import { h, replaceChildren } from './dom.js';

const FACET_TITLES = { connection_state: 'State', failure_reason: 'Failure reason', room_id: 'Room' };

/**
 * Facet counts of the last search. Clicking a value calls `onPick(field, value)`; the
 * value already filtered on is marked, and clicking it again clears that filter.
 */
export function renderFacetCounts(container, facetDistribution, active, onPick) {
  const groups = Object.entries(FACET_TITLES).map(([field, title]) => {
    const counts = Object.entries(facetDistribution?.[field] ?? {}).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
    const items = counts.map(([value, count]) => {
      const selected = active[field] === value;
      return h('li', {}, [
        h(
          'button',
          {
            type: 'button',
            class: `facet${selected ? ' selected' : ''}`,
            'aria-pressed': selected ? 'true' : 'false',
            dataset: { field, value },
            on: { click: () => onPick(field, selected ? '' : value) },
          },
          [h('span', { class: 'facet-value', text: value }), h('span', { class: 'facet-count', text: String(count) })],
        ),
      ]);
    });
    return h('section', { class: 'facet-group', dataset: { field } }, [
      h('h3', { text: title }),
      items.length > 0 ? h('ul', {}, items) : h('p', { class: 'muted', text: 'none' }),
    ]);
  });
  replaceChildren(container, groups);
}
