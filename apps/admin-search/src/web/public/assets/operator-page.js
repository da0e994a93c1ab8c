import { renderActionLog } from './action-log.js';
import { adminApi, AdminKeyRefusedError } from './admin-api.js';
import { adminKeyStore } from './admin-key-store.js';
import { renderFacetCounts } from './facet-counts.js';
import { utcInputToSeconds } from './format.js';
import { renderLiveNodes, renderLiveRooms } from './live-cluster.js';
import { createOperatorActions } from './operator-actions.js';
import { renderResultsTable } from './results-table.js';
import { renderSessionDetails } from './session-details.js';
import { buildSearchRequest } from './session-search-query.js';

/** How often the live rooms and nodes are read again while the page is visible. */
const LIVE_REFRESH_MS = 5_000;

/** How many operator actions "Recent actions" shows. */
const ACTION_LOG_LIMIT = 20;

/** Which form input a clicked facet sets. */
const FACET_INPUTS = { connection_state: 'state', failure_reason: 'reason', room_id: 'room' };

const $ = (id) => document.getElementById(id);
const form = $('search-form');
const LOGIN_HINT = $('login-message').textContent;

const view = {
  filters: readFilters(),
  sort: { field: 'created_at', direction: 'desc' },
  limit: 20,
  offset: 0,
  total: 0,
  /** Answers of an older search that arrive after a newer one are dropped. */
  searchSeq: 0,
  liveSeq: 0,
  liveTimer: null,
  actionLogSeq: 0,
};

// after an action, read the live views and the log again at once: the node has acted when the API answers
const operatorActions = createOperatorActions({
  outcome: $('action-outcome'),
  onSettled: () => refreshLive(),
  onKeyRefused: (error) => handleError(error, () => {}),
});

function readFilters() {
  const data = new FormData(form);
  const text = (name) => String(data.get(name) ?? '').trim();
  return {
    q: text('q'),
    state: text('state'),
    reason: text('reason'),
    kind: text('kind'),
    room: text('room'),
    user: text('user'),
    ip: text('ip'),
    from: utcInputToSeconds(text('from')),
    to: utcInputToSeconds(text('to')),
  };
}

/** Every call that meets a refused key ends here: forget it and ask again. */
function handleError(error, show) {
  if (error instanceof AdminKeyRefusedError) {
    showLogin('The key was refused. Enter it again.');
    return;
  }
  show(error instanceof Error ? error.message : String(error));
}

function showLogin(message) {
  adminKeyStore.clear();
  clearTimeout(view.liveTimer);
  view.liveSeq++;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('login').hidden = false;
  $('action-outcome').hidden = true;
  $('login-message').textContent = message;
  $('login-message').classList.toggle('error', message !== LOGIN_HINT);
  $('admin-key').value = '';
  $('admin-key').focus();
}

function showApp() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  search();
  refreshLive();
  openFromHash();
}

async function search() {
  const seq = ++view.searchSeq;
  const body = buildSearchRequest(view.filters, view);
  const error = $('search-error');
  try {
    const answer = await adminApi.searchSessions(body);
    if (seq !== view.searchSeq) return;
    error.hidden = true;
    view.total = answer.estimatedTotalHits ?? answer.hits.length;
    renderResultsTable($('results'), answer.hits, view.sort, { onSort: changeSort, onOpen: openSession });
    renderFacetCounts($('facets'), answer.facetDistribution, facetSelection(), pickFacet);
    $('results-summary').textContent = `About ${view.total} session${view.total === 1 ? '' : 's'} · ${answer.processingTimeMs ?? 0} ms`;
    renderPager(answer.hits.length);
  } catch (caught) {
    if (seq !== view.searchSeq) return;
    handleError(caught, (message) => {
      error.textContent = `Search failed: ${message}`;
      error.hidden = false;
    });
  }
}

function facetSelection() {
  return { connection_state: view.filters.state, failure_reason: view.filters.reason, room_id: view.filters.room };
}

function renderPager(shown) {
  const first = shown === 0 ? 0 : view.offset + 1;
  $('page-info').textContent = `${first}–${view.offset + shown} of about ${view.total}`;
  $('page-prev').disabled = view.offset === 0;
  $('page-next').disabled = view.offset + shown >= view.total || shown < view.limit;
}

function changeSort(field) {
  const same = view.sort.field === field;
  view.sort = { field, direction: same && view.sort.direction === 'desc' ? 'asc' : 'desc' };
  view.offset = 0;
  search();
}

function pickFacet(field, value) {
  form.elements.namedItem(FACET_INPUTS[field]).value = value;
  view.filters = readFilters();
  view.offset = 0;
  search();
}

async function openSession(id) {
  const panel = $('session-view');
  const body = $('session-body');
  try {
    const session = await adminApi.session(id);
    body.replaceChildren(renderSessionDetails(session));
    panel.hidden = false;
    panel.dataset.sessionId = session.session_id;
    if (location.hash !== sessionHash(id)) history.replaceState(null, '', sessionHash(id));
    panel.scrollIntoView({ block: 'start' });
  } catch (caught) {
    handleError(caught, (message) => {
      body.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: `Could not load session ${id}: ${message}` }));
      panel.hidden = false;
    });
  }
}

function sessionHash(id) {
  return `#session=${encodeURIComponent(id)}`;
}

function openFromHash() {
  const match = /^#session=(.+)$/.exec(location.hash);
  if (match) openSession(decodeURIComponent(match[1]));
}

function closeSession() {
  $('session-view').hidden = true;
  delete $('session-view').dataset.sessionId;
  history.replaceState(null, '', location.pathname + location.search);
}

async function refreshLive() {
  clearTimeout(view.liveTimer);
  // a refresh started meanwhile (sign-in again, tab shown again) owns the timer from then on
  const seq = ++view.liveSeq;
  if (!document.hidden) {
    try {
      const [nodes, rooms] = await Promise.all([adminApi.nodes(), adminApi.rooms()]);
      if (seq !== view.liveSeq) return;
      renderLiveNodes($('live-nodes'), nodes, { onSetDraining: operatorActions.setDraining });
      renderLiveRooms($('live-rooms'), rooms, { onPickRoom: pickRoom, onKickPeer: operatorActions.kickPeer, onCloseRoom: operatorActions.closeRoom });
      const peers = rooms.reduce((sum, room) => sum + room.peers.length, 0);
      $('live-summary').textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'} · ${rooms.length} room${rooms.length === 1 ? '' : 's'} · ${peers} peer${peers === 1 ? '' : 's'}`;
      $('live-updated').textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC, every ${LIVE_REFRESH_MS / 1000} s`;
    } catch (caught) {
      if (seq !== view.liveSeq) return;
      handleError(caught, (message) => ($('live-updated').textContent = `Live view unavailable: ${message}`));
      if (caught instanceof AdminKeyRefusedError) return;
    }
    // apart from the live views: a failing log must not hide the rooms and nodes, nor they it
    refreshActionLog();
  }
  view.liveTimer = setTimeout(refreshLive, LIVE_REFRESH_MS);
}

async function refreshActionLog() {
  const seq = ++view.actionLogSeq;
  const error = $('action-log-error');
  try {
    const actions = await adminApi.actions(ACTION_LOG_LIMIT);
    if (seq !== view.actionLogSeq) return;
    error.hidden = true;
    renderActionLog($('action-log'), actions);
  } catch (caught) {
    if (seq !== view.actionLogSeq) return;
    handleError(caught, (message) => {
      error.textContent = `Recent actions unavailable: ${message}`;
      error.hidden = false;
    });
  }
}

function pickRoom(room) {
  form.elements.namedItem('room').value = room;
  view.filters = readFilters();
  view.offset = 0;
  search();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('admin-key').value.trim();
  if (!key) return;
  try {
    if (!(await adminApi.verify(key))) {
      showLogin('The key was refused. Enter it again.');
      return;
    }
  } catch (caught) {
    $('login-message').textContent = `Could not reach the admin API: ${caught instanceof Error ? caught.message : String(caught)}`;
    return;
  }
  adminKeyStore.set(key);
  showApp();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  view.filters = readFilters();
  view.offset = 0;
  search();
});

// `reset` fires before the inputs are cleared: read them once they are
form.addEventListener('reset', () =>
  setTimeout(() => {
    view.filters = readFilters();
    view.offset = 0;
    search();
  }),
);

$('page-prev').addEventListener('click', () => {
  view.offset = Math.max(0, view.offset - view.limit);
  search();
});
$('page-next').addEventListener('click', () => {
  view.offset += view.limit;
  search();
});
$('page-size').addEventListener('change', (event) => {
  view.limit = Number(event.target.value);
  view.offset = 0;
  search();
});
$('session-close').addEventListener('click', closeSession);
$('sign-out').addEventListener('click', () => showLogin(LOGIN_HINT));
window.addEventListener('hashchange', openFromHash);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !$('app').hidden) refreshLive();
});

if (adminKeyStore.get()) showApp();
else showLogin(LOGIN_HINT);
