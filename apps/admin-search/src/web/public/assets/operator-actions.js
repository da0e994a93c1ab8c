import { AdminKeyRefusedError, adminApi } from './admin-api.js';
import { confirmAction } from './confirm-dialog.js';

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The API's error as the operator reads it; a 504 is the owning node's silence (PROTOCOL section 3). */
function describeFailure(error) {
  if (error && error.status === 504) return 'node did not answer';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The operator actions of PROTOCOL section 3, each behind a confirmation. `outcome` is the
 * line that tells how the last one went (its `data-result` is pending, ok or error);
 * `onSettled` runs after every attempt that reached the API, to show its effect;
 * `onKeyRefused` when the key no longer works.
 */
export function createOperatorActions({ outcome, onSettled, onKeyRefused }) {
  function show(result, text) {
    outcome.dataset.result = result;
    outcome.classList.toggle('error', result === 'error');
    outcome.textContent = text;
    outcome.hidden = false;
  }

  async function perform({ confirm, pending, call, success, failure }) {
    if (!(await confirmAction(confirm))) return;
    show('pending', pending);
    try {
      show('ok', success(await call()));
    } catch (caught) {
      if (caught instanceof AdminKeyRefusedError) {
        onKeyRefused(caught);
        return;
      }
      show('error', `${failure}: ${describeFailure(caught)}`);
    }
    onSettled();
  }

  return {
    /** `peer` is an entry of GET /api/rooms: `{peer_id, node}`. */
    kickPeer: (room, peer) =>
      perform({
        confirm: {
          title: 'Kick peer',
          question: `Kick peer ${peer.peer_id} from room ${room} on node ${peer.node}? It cannot resume.`,
          confirmLabel: 'Kick',
        },
        pending: `Kicking peer ${peer.peer_id}…`,
        call: () => adminApi.kickPeer(room, peer.peer_id),
        success: (answer) => `Kicked peer ${answer.peer_id} from room ${answer.room_id} on node ${answer.node_id}.`,
        failure: `Could not kick peer ${peer.peer_id}`,
      }),

    closeRoom: (room, peerCount) =>
      perform({
        confirm: {
          title: 'Close room',
          question: `Close room ${room} and kick its ${plural(peerCount, 'peer')} on every node? They cannot resume.`,
          confirmLabel: 'Close room',
        },
        pending: `Closing room ${room}…`,
        call: () => adminApi.closeRoom(room),
        success: (answer) => `Closed room ${answer.room_id}: ${plural(answer.kicked, 'peer')} kicked.`,
        failure: `Could not close room ${room}`,
      }),

    /** Drains (`draining` true) or undrains a node of GET /api/nodes. */
    setDraining: (node, draining) =>
      perform({
        confirm: draining
          ? {
              title: 'Drain node',
              question: `Drain node ${node.node_id}? It takes no new sockets, its /readyz answers 503, and its ${plural(node.connections, 'connection')} close with 1001 to resume on other nodes. It stays drained until undrained.`,
              confirmLabel: 'Drain',
            }
          : {
              title: 'Undrain node',
              question: `Undrain node ${node.node_id}? It takes new sockets again and its /readyz answers 200.`,
              confirmLabel: 'Undrain',
              danger: false,
            },
        pending: `${draining ? 'Draining' : 'Undraining'} node ${node.node_id}…`,
        call: () => adminApi.setDraining(node.node_id, draining),
        success: (answer) => `Node ${answer.node_id} is ${answer.draining ? 'draining' : 'serving again'}.`,
        failure: `Could not ${draining ? 'drain' : 'undrain'} node ${node.node_id}`,
      }),
  };
}
