import { SignalingClient, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

type Joined = SignalingClient & { peerId: string };

// PROTOCOL section 1: a room-wide offer reaches the peers the sender has been told of and
// that have not left; one that would reach nobody is answered, never dropped in silence.
describe('a room-wide offer', () => {
  let cluster: GatewayCluster;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2);
  });

  afterAll(async () => {
    for (const client of clients) client.drop();
    await cluster?.stop();
  });

  const joinRoom = async (node: number, room: string): Promise<Joined> => {
    const client = (await SignalingClient.join(cluster.wsUrl(node, `room=${room}`))) as Joined;
    clients.push(client);
    return client;
  };

  it('from a peer alone in its room gets unknown-peer, echoing its id', async () => {
    const alone = await joinRoom(0, uniqueName('alone'));
    alone.send({ type: 'offer', sdp: 'v=0 nobody', id: 'lonely-1' });
    expect(await alone.next('error')).toEqual({
      type: 'error',
      code: 'unknown-peer',
      message: 'no other peer of this room has been announced to you yet: wait for peer-joined, or name the peer with `to`',
      ref: 'lonely-1',
    });
  });

  it('sent right after another peer joined on the other node, before peer-joined, reaches it or is answered: never lost', async () => {
    let delivered = 0;
    let refused = 0;
    for (let attempt = 0; attempt < 30; attempt++) {
      const room = uniqueName('race');
      const first = await joinRoom(0, room);
      const id = `race-${attempt}`;
      const second = joinRoom(1, room);
      // offer the moment the newcomer has its welcome, racing the peer-joined on its way to `first`
      const newcomer = await second;
      first.send({ type: 'offer', sdp: `v=0 ${id}`, id });
      const deadline = Date.now() + 5_000;
      let offers: typeof newcomer.frames = [];
      let errors: typeof first.frames = [];
      while (offers.length + errors.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        offers = newcomer.frames.filter((frame) => frame.type === 'offer');
        errors = first.frames.filter((frame) => frame.type === 'error');
      }
      const outcome = offers.length > 0 ? { kind: 'delivered' as const, frame: offers[0] } : { kind: 'refused' as const, frame: errors[0] };
      if (outcome.kind === 'delivered') {
        expect(outcome.frame).toEqual({ type: 'offer', sdp: `v=0 ${id}`, from: first.peerId });
        delivered++;
      } else {
        expect(outcome.frame).toMatchObject({ type: 'error', code: 'unknown-peer', ref: id });
        refused++;
      }
      // one or the other, exactly once, never both
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(newcomer.frames.filter((frame) => frame.type === 'offer').length + first.frames.filter((frame) => frame.type === 'error').length).toBe(1);
      first.drop();
      newcomer.drop();
    }
    expect(delivered + refused).toBe(30);
  }, 90_000);
});
