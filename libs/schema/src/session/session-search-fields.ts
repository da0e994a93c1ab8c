/** How a filterable field's values compare (PROTOCOL section 2 types). */
export type SessionFieldKind = 'string' | 'number' | 'boolean' | 'string-array';

/** Filterable fields of the session document and the kind of their values (PROTOCOL section 2). */
export const SESSION_FILTERABLE_FIELDS = {
  room_id: 'string',
  kind: 'string',
  connection_state: 'string',
  failure_reason: 'string',
  created_at: 'number',
  updated_at: 'number',
  ended_at: 'number',
  client_a_id: 'string',
  client_b_id: 'string',
  client_a_user: 'string',
  client_b_user: 'string',
  client_a_remote_addr: 'string',
  client_b_remote_addr: 'string',
  client_a_node: 'string',
  client_b_node: 'string',
  relay_used: 'boolean',
  ice_restarts: 'number',
  renegotiations: 'number',
  end_reason: 'string',
  candidate_types_a: 'string-array',
  candidate_types_b: 'string-array',
} as const satisfies Record<string, SessionFieldKind>;

export type SessionFilterableField = keyof typeof SESSION_FILTERABLE_FIELDS;

export const SESSION_SORTABLE_FIELDS = ['created_at', 'updated_at', 'duration_ms', 'time_to_connected_ms', 'rtt_ms'] as const;
export type SessionSortableField = (typeof SESSION_SORTABLE_FIELDS)[number];

/** What full-text `q` searches: ids, users, addresses, user agents, room, failure reason and detail. */
export const SESSION_SEARCHABLE_FIELDS = [
  'session_id',
  'room_id',
  'client_a_id',
  'client_b_id',
  'client_a_user',
  'client_b_user',
  'client_a_remote_addr',
  'client_b_remote_addr',
  'client_a_user_agent',
  'client_b_user_agent',
  'failure_reason',
  'failure_detail',
] as const;
