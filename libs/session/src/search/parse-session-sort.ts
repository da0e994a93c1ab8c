import { SESSION_SORTABLE_FIELDS, type SessionSortableField } from '@sg/schema';
import type { SessionSort } from './session-search';

export type ParseSessionSortResult = { ok: true; sort: SessionSort[] } | { ok: false; error: string };

const SORTABLE: ReadonlySet<string> = new Set(SESSION_SORTABLE_FIELDS);

/** Meilisearch's `sort` (`["created_at:desc", ...]`), limited to the sortable session fields. */
export function parseSessionSort(rules: readonly string[]): ParseSessionSortResult {
  const sort: SessionSort[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const match = /^([A-Za-z_]+):(asc|desc)$/.exec(rule);
    if (!match) return { ok: false, error: `sort: "${rule}" is not of the form field:asc or field:desc` };
    const [, field, direction] = match;
    if (!SORTABLE.has(field)) return { ok: false, error: `sort: "${field}" is not sortable; sortable fields are ${SESSION_SORTABLE_FIELDS.join(', ')}` };
    if (seen.has(field)) return { ok: false, error: `sort: "${field}" is given twice` };
    seen.add(field);
    sort.push({ field: field as SessionSortableField, direction: direction as 'asc' | 'desc' });
  }
  return { ok: true, sort };
}
