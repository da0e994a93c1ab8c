import { randomBytes } from 'node:crypto';
import { BenchPeer, ControlFrame, StampListener } from './bench-peer';
import { LoadTarget } from './load-target';
import { candidateLine, frameTemplate, offerSdp } from './payloads';

/** Connects the two peers of one room and gives each the frames to send to the other. */
export type RoomConnector = (room: string) => Promise<[BenchPeer, BenchPeer]>;

export interface ConnectorHooks {
  readonly onStamp: StampListener;
  readonly onControl: (frame: ControlFrame) => void;
}

const SDP = offerSdp();
const CANDIDATE = candidateLine();

/** The connector speaking `target`'s protocol. */
export function roomConnector(target: LoadTarget, hooks: ConnectorHooks): RoomConnector {
  switch (target.protocol) {
    case 'bare':
      return bareRoom(target.urls[0], target.urls[target.urls.length - 1], hooks);
    case 'peerjs':
      return peerJsRoom(target.urls[0], hooks);
    case 'gateway':
      return gatewayRoom(target.urls[0], target.urls[target.urls.length - 1], hooks);
  }
}

/** The gateway's frames, since the bare relay forwards without looking: same bytes on the wire. */
function gatewayTemplates(to: string) {
  return {
    offer: frameTemplate({ type: 'offer', to, sdp: SDP }),
    candidate: frameTemplate({ type: 'candidate', to, candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 }),
  };
}

function bareRoom(urlA: string, urlB: string, hooks: ConnectorHooks): RoomConnector {
  return async (room) => {
    const a = await BenchPeer.open(`${urlA}?room=${room}`, hooks.onStamp, hooks.onControl);
    const b = await BenchPeer.open(`${urlB}?room=${room}`, hooks.onStamp, hooks.onControl);
    a.templates = gatewayTemplates(`${room}-b`);
    b.templates = gatewayTemplates(`${room}-a`);
    return [a, b];
  };
}

/** PeerJS client protocol as peerjs 1.x speaks it for a media connection. */
function peerJsRoom(url: string, hooks: ConnectorHooks): RoomConnector {
  const openPeer = async (id: string) => {
    const token = randomBytes(8).toString('hex');
    const peer = await BenchPeer.open(`${url}?key=peerjs&id=${id}&token=${token}`, hooks.onStamp, hooks.onControl);
    await peer.waitFor((f) => f.type === 'OPEN', `OPEN for ${id}`);
    // the PeerJS client sends a heartbeat every 5 s; the server drops peers silent for 90 s
    const heartbeat = setInterval(() => peer.socket.send('{"type":"HEARTBEAT"}'), 5000);
    peer.socket.once('close', () => clearInterval(heartbeat));
    return peer;
  };
  const templates = (dst: string, connectionId: string) => ({
    offer: frameTemplate({
      type: 'OFFER',
      dst,
      payload: { sdp: { type: 'offer', sdp: SDP }, type: 'media', connectionId, metadata: null },
    }),
    candidate: frameTemplate({
      type: 'CANDIDATE',
      dst,
      payload: {
        candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'EsAw' },
        type: 'media',
        connectionId,
      },
    }),
  });
  return async (room) => {
    const a = await openPeer(`${room}-a`);
    const b = await openPeer(`${room}-b`);
    a.templates = templates(`${room}-b`, `mc_${room}`);
    b.templates = templates(`${room}-a`, `mc_${room}`);
    return [a, b];
  };
}

/** PROTOCOL section 1: welcome, then peer-joined for the first peer. */
function gatewayRoom(urlA: string, urlB: string, hooks: ConnectorHooks): RoomConnector {
  const peerIdOf = (frame: ControlFrame) => {
    const id = frame['peerId'];
    if (typeof id !== 'string') throw new Error(`frame without peerId: ${JSON.stringify(frame)}`);
    return id;
  };
  return async (room) => {
    const a = await BenchPeer.open(`${urlA}?room=${room}`, hooks.onStamp, hooks.onControl);
    const idA = peerIdOf(await a.waitFor((f) => f.type === 'welcome', `welcome in ${room}`));
    const b = await BenchPeer.open(`${urlB}?room=${room}`, hooks.onStamp, hooks.onControl);
    const welcomeB = await b.waitFor((f) => f.type === 'welcome', `welcome in ${room}`);
    const idB = peerIdOf(welcomeB);
    const peers = welcomeB['peers'];
    if (!Array.isArray(peers) || !peers.some((p: { peerId?: unknown }) => p.peerId === idA)) {
      throw new Error(`${room}: second welcome does not list the first peer: ${JSON.stringify(welcomeB)}`);
    }
    await a.waitFor((f) => f.type === 'peer-joined' && f['peerId'] === idB, `peer-joined in ${room}`);
    a.templates = gatewayTemplates(idB);
    b.templates = gatewayTemplates(idA);
    return [a, b];
  };
}
