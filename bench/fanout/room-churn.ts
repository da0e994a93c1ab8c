import { SimulatedNode } from './simulated-node';
import { timed } from './timed-ops';

/**
 * Rooms coming and going on the nodes while traffic flows: each op is one node joining
 * a fresh room (SUBSCRIBE) or leaving its oldest one (UNSUBSCRIBE); once `poolSize`
 * churning rooms are live, joins and leaves alternate. The traffic rooms are not touched, so no message is lost.
 */
export class RoomChurn {
  readonly joinRtts: number[] = [];
  readonly leaveRtts: number[] = [];
  private readonly live: { node: SimulatedNode; channel: string }[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void>[] = [];

  constructor(
    private readonly nodes: readonly SimulatedNode[],
    private readonly channelOf: (room: string) => string,
    private readonly poolSize = 100,
  ) {}

  start(opsPerSecond: number): void {
    const period = 1000 / opsPerSecond;
    let due = performance.now();
    const tick = () => {
      const now = performance.now();
      while (due <= now) {
        this.inFlight.push(this.op());
        due += period;
      }
      this.timer = setTimeout(tick, Math.max(1, due - performance.now()));
    };
    tick();
  }

  /** Stops churning and leaves every churn room still joined. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await Promise.all(this.inFlight);
    await Promise.all(this.live.splice(0).map(({ node, channel }) => node.subscriber.unsubscribe(channel)));
  }

  private op(): Promise<void> {
    // fill the pool with joins, then alternate: a full pool leaves one, the next op joins one
    if (this.live.length >= this.poolSize) {
      const { node, channel } = this.live.shift()!;
      return timed(this.leaveRtts, () => node.subscriber.unsubscribe(channel));
    }
    const node = this.nodes[this.next % this.nodes.length];
    const channel = this.channelOf(`churn-${this.next++}`);
    this.live.push({ node, channel });
    return timed(this.joinRtts, () => node.subscriber.subscribe(channel));
  }
}
