import {
  createLoopbackAnswer,
  createLoopbackOffer,
  createLoopbackPeerConnection,
  onLoopbackIceCandidate,
  scrapeMetrics,
  SignalingClient,
  uniqueName,
  waitForConnected,
  waitForDataChannel,
  waitForDataChannelMessage,
  waitForDataChannelOpen,
} from '@sg/testing';
import type { RTCPeerConnection } from 'werift';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

/** Relays every trickled candidate of `pc` to `to` through the gateway. */
function trickleThrough(client: SignalingClient, pc: RTCPeerConnection, to: string): () => void {
  return onLoopbackIceCandidate(pc, (candidate) => client.send({ type: 'candidate', to, ...candidate }));
}

/** Applies the candidates the gateway relays to `pc`, in order. */
function applyRelayedCandidates(client: SignalingClient, pc: RTCPeerConnection): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const frame = await client.next('candidate', 15_000).catch(() => null);
      if (!frame || stopped) return;
      const { candidate, sdpMid, sdpMLineIndex } = frame as unknown as { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null };
      if (candidate !== '') await pc.addIceCandidate({ candidate, sdpMid: sdpMid ?? undefined, sdpMLineIndex: sdpMLineIndex ?? undefined });
    }
  })();
  return () => {
    stopped = true;
  };
}

async function negotiationCount(baseUrl: string): Promise<number> {
  return (await scrapeMetrics(baseUrl)).value('signaling_ice_negotiation_seconds_count');
}

// A real WebRTC negotiation: two werift peers, one on each node, over loopback only.
describe('WebRTC through the gateway', () => {
  let cluster: GatewayCluster;
  const peers: RTCPeerConnection[] = [];
  const clients: SignalingClient[] = [];
  const stops: Array<() => void> = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2);
  });

  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    for (const client of clients.splice(0)) client.close();
    await Promise.all(peers.splice(0).map((pc) => pc.close()));
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('connects two werift peers on different nodes and carries a DataChannel message', async () => {
    const room = uniqueName('webrtc');
    const alice = await SignalingClient.join(cluster.wsUrl(0, `room=${room}`));
    const bob = await SignalingClient.join(cluster.wsUrl(1, `room=${room}`));
    clients.push(alice, bob);
    await alice.next('peer-joined');
    const before = await negotiationCount(cluster.nodes[1].baseUrl);

    const offerer = createLoopbackPeerConnection();
    const answerer = createLoopbackPeerConnection();
    peers.push(offerer, answerer);
    const channel = offerer.createDataChannel('chat');
    stops.push(trickleThrough(alice, offerer, bob.peerId), trickleThrough(bob, answerer, alice.peerId));
    stops.push(applyRelayedCandidates(alice, offerer), applyRelayedCandidates(bob, answerer));

    alice.send({ type: 'offer', to: bob.peerId, sdp: await createLoopbackOffer(offerer, { trickle: true }) });
    const offer = await bob.next('offer');
    expect(offer['from']).toBe(alice.peerId);
    const incoming = waitForDataChannel(answerer);
    bob.send({ type: 'answer', to: alice.peerId, sdp: await createLoopbackAnswer(answerer, offer['sdp'] as string, { trickle: true }) });
    const answer = await alice.next('answer');
    expect(answer['from']).toBe(bob.peerId);
    await offerer.setRemoteDescription({ type: 'answer', sdp: answer['sdp'] as string });

    await Promise.all([waitForConnected(offerer), waitForConnected(answerer)]);
    bob.send({ type: 'state', to: alice.peerId, connectionState: 'connected', iceConnectionState: 'connected' });
    alice.send({ type: 'state', to: bob.peerId, connectionState: 'connected' });

    await waitForDataChannelOpen(channel);
    const remoteChannel = await incoming;
    const received = waitForDataChannelMessage(remoteChannel);
    channel.send('hello over a relayed negotiation');
    expect(String(await received)).toBe('hello over a relayed negotiation');

    // the negotiation is timed once, on the answerer's node, from offer to its connected report
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      after = await negotiationCount(cluster.nodes[1].baseUrl);
      if (after === before) await new Promise((r) => setTimeout(r, 50));
    }
    expect(after).toBe(before + 1);
    expect(await negotiationCount(cluster.nodes[0].baseUrl)).toBe(0);
  });
});
