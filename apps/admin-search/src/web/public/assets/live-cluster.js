import { h, replaceChildren } from './dom.js';
import { formatTime } from './format.js';

function list(element, items, empty) {
  replaceChildren(element, items.length > 0 ? items : [h('li', { class: 'muted', text: empty })]);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A small button at the end of a live line; its label alone is ambiguous, so `label` names the target. */
function actionButton(text, label, className, onClick) {
  return h('button', { type: 'button', class: `small row-action ${className}`, text, 'aria-label': label, title: label, on: { click: onClick } });
}

/** GET /api/nodes, one line per node; a draining node is marked and offers Undrain instead of Drain. */
export function renderLiveNodes(element, nodes, { onSetDraining }) {
  const items = nodes.map((node) =>
    h('li', { class: node.draining ? 'draining' : '', dataset: { nodeId: node.node_id } }, [
      h('strong', { text: node.node_id }),
      h('span', {
        text: `${plural(node.connections, 'connection')} · ${plural(node.rooms, 'room')} · ${node.draining ? 'draining' : 'serving'} · seen ${formatTime(node.last_seen).slice(11, 19)}`,
      }),
      node.draining
        ? actionButton('Undrain', `Undrain node ${node.node_id}`, 'quiet undrain', () => onSetDraining(node, false))
        : actionButton('Drain', `Drain node ${node.node_id}`, 'danger drain', () => onSetDraining(node, true)),
    ]),
  );
  list(element, items, 'no live nodes');
}

/** GET /api/rooms, one line per room with its peers; clicking a room searches its sessions. */
export function renderLiveRooms(element, rooms, { onPickRoom, onKickPeer, onCloseRoom }) {
  const items = rooms.map((room) =>
    h('li', { dataset: { roomId: room.room_id } }, [
      h('button', { type: 'button', class: 'link', text: room.room_id, title: 'Search this room', on: { click: () => onPickRoom(room.room_id) } }),
      h('span', { text: plural(room.peers.length, 'peer') }),
      actionButton('Close room', `Close room ${room.room_id}`, 'danger close-room', () => onCloseRoom(room.room_id, room.peers.length)),
      h(
        'ul',
        { class: 'live-peers' },
        room.peers.map((peer) =>
          h('li', { dataset: { peerId: peer.peer_id, node: peer.node } }, [
            h('span', { text: `${peer.peer_id}${peer.user ? ` (${peer.user})` : ''} on ${peer.node}` }),
            actionButton('Kick', `Kick peer ${peer.peer_id}`, 'danger kick', () => onKickPeer(room.room_id, peer)),
          ]),
        ),
      ),
    ]),
  );
  list(element, items, 'no live rooms');
}
