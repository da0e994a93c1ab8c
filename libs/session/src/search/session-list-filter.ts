import type { FilterNode } from '../filter/filter-ast';
import { and, eq, gte, lte, or, range } from '../filter/filter-builders';

/** The query parameters of `GET /api/sessions` that narrow the search (PROTOCOL section 3), already validated. */
export interface SessionListParams {
  room?: string;
  /** JWT `sub` of either side. */
  user?: string;
  /** Peer id of either side. */
  peer?: string;
  /** An IP (any port) or an exact `ip:port`, of either side. */
  ip?: string;
  state?: string;
  reason?: string;
  /** Bounds on `created_at`, Unix seconds, both included. */
  from?: number;
  to?: number;
}

/**
 * The filter tree `GET /api/sessions` means, built like `parseSessionFilter` would parse it, so both
 * stores run it with Meilisearch's semantics. `null` when nothing narrows the search.
 */
export function sessionListFilter(params: SessionListParams): FilterNode | null {
  return and(
    params.room !== undefined && eq('room_id', params.room),
    params.user !== undefined && or(eq('client_a_user', params.user), eq('client_b_user', params.user)),
    params.peer !== undefined && or(eq('client_a_id', params.peer), eq('client_b_id', params.peer)),
    params.ip !== undefined && or(addressFilter('client_a_remote_addr', params.ip), addressFilter('client_b_remote_addr', params.ip)),
    params.state !== undefined && eq('connection_state', params.state),
    params.reason !== undefined && eq('failure_reason', params.reason),
    params.from !== undefined && gte('created_at', params.from),
    params.to !== undefined && lte('created_at', params.to),
  );
}

type AddressField = 'client_a_remote_addr' | 'client_b_remote_addr';

/**
 * Addresses are stored as `ip:port` (`[v6]:port`). An exact `ip:port` is an equality; a bare IP
 * matches every port through a string range: `"ip:" TO "ip;"` holds exactly the strings that
 * start with `ip:` followed by digits, because `;` is the character after `:`.
 */
function addressFilter(field: AddressField, ip: string): FilterNode {
  const bracketed = /^\[.*\]:\d+$/.test(ip) || /^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip);
  if (bracketed) return eq(field, ip);
  const host = ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
  return range(field, `${host}:`, `${host};`);
}
