import { h, replaceChildren } from './dom.js';
import { formatTime } from './format.js';

function list(element, items, empty) {
  replaceChildren(element, items.length > 0 ? items : [h('li', { class: 'muted', text: empty })]);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** GET /api/nodes, one line per node; a draining node is marked. */
export function renderLiveNodes(element, nodes) {
  const items = nodes.map((node) =>
    h('li', { class: node.draining ? 'draining' : '', dataset: { nodeId: node.node_id } }, [
      h('strong', { text: node.node_id }),
      h('span', {
        text: `${plural(node.connections, 'connection')} · ${plural(node.rooms, 'room')} · ${node.draining ? 'draining' : 'serving'} · seen ${formatTime(node.last_seen).slice(11, 19)}`,
      }),
    ]),
  );
  list(element, items, 'no live nodes');
}

/** GET /api/rooms, one line per room with its peers; clicking a room searches its sessions. */
export function renderLiveRooms(element, rooms, onPickRoom) {
  const items = rooms.map((room) =>
    h('li', { dataset: { roomId: room.room_id } }, [
      h('button', { type: 'button', class: 'link', text: room.room_id, title: 'Search this room', on: { click: () => onPickRoom(room.room_id) } }),
      h('span', { text: plural(room.peers.length, 'peer') }),
      h(
        'ul',
        { class: 'live-peers' },
        room.peers.map((peer) => h('li', { text: `${peer.peer_id}${peer.user ? ` (${peer.user})` : ''} on ${peer.node}` })),
      ),
    ]),
  );
  list(element, items, 'no live rooms');
}
