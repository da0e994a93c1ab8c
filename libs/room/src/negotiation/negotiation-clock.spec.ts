import type { PeerId, RoomId } from '@sg/schema';
import { NegotiationClock } from './negotiation-clock';

const ROOM = 'room-1' as RoomId;
const OTHER_ROOM = 'room-2' as RoomId;
const A = 'peer-a' as PeerId;
const B = 'peer-b' as PeerId;
const C = 'peer-c' as PeerId;

/** Must match MAX_PENDING_NEGOTIATIONS in negotiation-clock.ts. */
const MAX_PENDING = 50_000;

function clockAt(startMs: number): { clock: NegotiationClock; advance: (ms: number) => void } {
  let now = startMs;
  return { clock: new NegotiationClock(() => now), advance: (ms) => (now += ms) };
}

describe(NegotiationClock.name, () => {
  it('measures seconds from the offer to the connected report', () => {
    const { clock, advance } = clockAt(1_000_000);
    clock.offerDelivered(ROOM, A, B);
    advance(1_250);

    expect(clock.connected(ROOM, B, A)).toBe(1.25);
  });

  it('ends the measurement when the offerer reports connected', () => {
    const { clock, advance } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);
    advance(500);

    expect(clock.connected(ROOM, A, B)).toBe(0.5);
  });

  it('measures a negotiation once: the second report returns null', () => {
    const { clock, advance } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);
    advance(100);
    clock.connected(ROOM, B, A);

    expect(clock.connected(ROOM, A, B)).toBeNull();
  });

  it('keeps the time of the first pending offer when another arrives', () => {
    const { clock, advance } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);
    advance(2_000);
    clock.offerDelivered(ROOM, B, A);
    advance(1_000);

    expect(clock.connected(ROOM, A, B)).toBe(3);
  });

  it('returns null for a pair with no pending offer', () => {
    const { clock } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);

    expect(clock.connected(ROOM, A, C)).toBeNull();
  });

  it('keeps pairs of different rooms apart', () => {
    const { clock } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);

    expect(clock.connected(OTHER_ROOM, A, B)).toBeNull();
    expect(clock.size).toBe(1);
  });

  it('never returns a negative duration when the clock steps back', () => {
    const { clock, advance } = clockAt(10_000);
    clock.offerDelivered(ROOM, A, B);
    advance(-5_000);

    expect(clock.connected(ROOM, A, B)).toBe(0);
  });

  it('starts a new measurement after a completed one', () => {
    const { clock, advance } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);
    clock.connected(ROOM, A, B);
    advance(10_000);
    clock.offerDelivered(ROOM, A, B);
    advance(700);

    expect(clock.connected(ROOM, B, A)).toBe(0.7);
  });

  it('forgets every pending pair of a peer that left', () => {
    const { clock } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);
    clock.offerDelivered(ROOM, C, A);
    clock.offerDelivered(ROOM, B, C);
    clock.forgetPeer(ROOM, A);

    expect(clock.connected(ROOM, A, B)).toBeNull();
    expect(clock.connected(ROOM, A, C)).toBeNull();
    expect(clock.connected(ROOM, B, C)).toBe(0);
  });

  it('forgets a peer only in the room it left', () => {
    const { clock } = clockAt(0);
    clock.offerDelivered(ROOM, A, B);
    clock.offerDelivered(OTHER_ROOM, A, B);
    clock.forgetPeer(ROOM, A);

    expect(clock.connected(OTHER_ROOM, A, B)).toBe(0);
  });

  it('bounds the number of pending negotiations', () => {
    const { clock } = clockAt(0);
    for (let i = 0; i <= MAX_PENDING; i++) clock.offerDelivered(ROOM, A, `answerer-${i}` as PeerId);

    expect(clock.size).toBe(MAX_PENDING);
  });

  it('evicts the oldest pending negotiation when full', () => {
    const { clock } = clockAt(0);
    for (let i = 0; i <= MAX_PENDING; i++) clock.offerDelivered(ROOM, A, `answerer-${i}` as PeerId);

    expect(clock.connected(ROOM, A, 'answerer-0' as PeerId)).toBeNull();
    expect(clock.connected(ROOM, A, 'answerer-1' as PeerId)).toBe(0);
    expect(clock.connected(ROOM, A, `answerer-${MAX_PENDING}` as PeerId)).toBe(0);
  });
});
