/** Facets the page counts and lets the operator click (PROTOCOL section 3). */
export const FACET_FIELDS = ['connection_state', 'failure_reason', 'room_id'];

/** The sortable fields of PROTOCOL section 2. */
export const SORTABLE_FIELDS = ['created_at', 'updated_at', 'duration_ms', 'time_to_connected_ms', 'rtt_ms'];

/** An address with its port (`1.2.3.4:5678`, `[::1]:5678`): compared exactly, as the document stores `ip:port`. */
const ADDRESS_WITH_PORT = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;

/**
 * One address field against what the operator typed, as `GET /api/sessions?ip=` does
 * (libs/session `sessionListFilter`): `ip:port` exactly, a bare IP on any port through
 * the string range `"ip:" TO "ip;"` (`;` is the character after `:`).
 */
function addressCondition(field, ip) {
  if (ADDRESS_WITH_PORT.test(ip)) return `${field} = ${quoteFilterValue(ip)}`;
  const host = ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
  return `${field} ${quoteFilterValue(`${host}:`)} TO ${quoteFilterValue(`${host};`)}`;
}

/**
 * A value as a Meilisearch filter string: double-quoted, so no value is read as a
 * keyword or an operator; inside quotes only `\` and `"` need escaping. Control
 * characters cannot come from a text input, and are dropped rather than sent.
 */
export function quoteFilterValue(value) {
  const clean = String(value).replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${clean.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * The body of `POST /api/sessions/search` for the page's filters and view.
 * `filters`: `{q, state, reason, kind, room, user, ip, from, to}`, strings (empty = unset) and
 * `from`/`to` in Unix seconds or null. `view`: `{sort: {field, direction}, limit, offset}`.
 */
export function buildSearchRequest(filters, view) {
  const conditions = [];
  const equal = (field, value) => `${field} = ${quoteFilterValue(value)}`;
  if (filters.state) conditions.push(equal('connection_state', filters.state));
  if (filters.reason) conditions.push(equal('failure_reason', filters.reason));
  if (filters.kind) conditions.push(equal('kind', filters.kind));
  const room = filters.room?.trim();
  if (room) conditions.push(equal('room_id', room));
  const user = filters.user?.trim();
  if (user) conditions.push(`(${equal('client_a_user', user)} OR ${equal('client_b_user', user)})`);
  const ip = filters.ip?.trim();
  if (ip) conditions.push(`(${addressCondition('client_a_remote_addr', ip)} OR ${addressCondition('client_b_remote_addr', ip)})`);
  if (typeof filters.from === 'number') conditions.push(`created_at >= ${filters.from}`);
  if (typeof filters.to === 'number') conditions.push(`created_at <= ${filters.to}`);
  const q = filters.q?.trim();
  const body = {
    sort: [`${view.sort.field}:${view.sort.direction}`],
    limit: view.limit,
    offset: view.offset,
    facets: [...FACET_FIELDS],
  };
  if (q) body.q = q;
  if (conditions.length > 0) body.filter = conditions.join(' AND ');
  return body;
}
