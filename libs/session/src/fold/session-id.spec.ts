import type { PeerId, RoomId } from '@sg/schema';
import { sessionIdFor } from './session-id';

describe(sessionIdFor.name, () => {
  const room = 'r' as RoomId;
  const a = 'a' as PeerId;
  const b = 'b' as PeerId;

  it('is the same whichever side is named first, and differs per room and pair', () => {
    expect(sessionIdFor(room, a, b)).toBe(sessionIdFor(room, b, a));
    expect(sessionIdFor('other' as RoomId, a, b)).not.toBe(sessionIdFor(room, a, b));
    expect(sessionIdFor(room, a, 'c' as PeerId)).not.toBe(sessionIdFor(room, a, b));
  });

  it("fits Meilisearch's primary key alphabet", () => {
    expect(sessionIdFor(room, a, b)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
