import { adminKeyStore } from './admin-key-store.js';

/** The API refused the key (401): the page asks for it again. */
export class AdminKeyRefusedError extends Error {
  constructor() {
    super('the admin API key was refused');
    this.name = 'AdminKeyRefusedError';
  }
}

/** Any other unsuccessful answer, with the API's message (PROTOCOL section 3 error shape). */
export class AdminApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
  }
}

async function request(path, init = {}) {
  const key = adminKeyStore.get();
  if (!key) throw new AdminKeyRefusedError();
  const response = await fetch(path, {
    ...init,
    headers: { ...init.headers, authorization: `Bearer ${key}`, accept: 'application/json' },
    cache: 'no-store',
  });
  if (response.status === 401) {
    adminKeyStore.clear();
    throw new AdminKeyRefusedError();
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.message ? [].concat(body.message).join('; ') : `HTTP ${response.status}`;
    throw new AdminApiError(response.status, message);
  }
  return body;
}

/** The admin API of PROTOCOL section 3, called with the stored key. */
export const adminApi = {
  searchSessions: (body) =>
    request('/api/sessions/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  session: (id) => request(`/api/sessions/${encodeURIComponent(id)}`),
  rooms: () => request('/api/rooms'),
  nodes: () => request('/api/nodes'),
  /** Operator actions (PROTOCOL section 3): each answers once the owning node has acted. */
  kickPeer: (room, peer) => request(`/api/rooms/${encodeURIComponent(room)}/peers/${encodeURIComponent(peer)}/kick`, { method: 'POST' }),
  closeRoom: (room) => request(`/api/rooms/${encodeURIComponent(room)}`, { method: 'DELETE' }),
  setDraining: (node, draining) => request(`/api/nodes/${encodeURIComponent(node)}/${draining ? 'drain' : 'undrain'}`, { method: 'POST' }),
  actions: (limit) => request(`/api/actions?limit=${encodeURIComponent(limit)}`),
  /** Checks a key before keeping it: the cheapest guarded call. */
  async verify(key) {
    const response = await fetch('/api/nodes', { headers: { authorization: `Bearer ${key}` }, cache: 'no-store' });
    return response.status !== 401;
  },
};
