import { LIMITS } from '@sg/schema';

/** What a verified token lets its bearer do: who it is (`sub`) and which rooms it may join. */
export class PeerGrant {
  private constructor(
    readonly user: string,
    private readonly rooms: '*' | ReadonlySet<string>,
  ) {}

  /**
   * Reads the grant from a verified claims set. `sub` is required (it becomes the
   * member's and the session's user). The rooms claim is `"*"` or an array of room
   * ids (an element `"*"` also means any room); a token without it may join no
   * room (4403). A claim of another shape makes the token invalid (4401).
   */
  static fromClaims(claims: Readonly<Record<string, unknown>>, roomsClaim: string): PeerGrant | { readonly invalid: string } {
    const sub = claims['sub'];
    if (typeof sub !== 'string' || sub.length === 0) return { invalid: 'token has no sub' };
    if (sub.length > LIMITS.userMaxLength) return { invalid: 'token sub too long' };
    const rooms = claims[roomsClaim];
    if (rooms === undefined) return new PeerGrant(sub, new Set());
    if (rooms === '*') return new PeerGrant(sub, '*');
    if (!Array.isArray(rooms) || !rooms.every((room): room is string => typeof room === 'string')) {
      return { invalid: 'token rooms claim must be "*" or an array of room ids' };
    }
    return new PeerGrant(sub, rooms.includes('*') ? '*' : new Set(rooms));
  }

  allows(room: string): boolean {
    return this.rooms === '*' || this.rooms.has(room);
  }
}
