import { randomBytes } from 'node:crypto';

/** An opaque, unguessable resume token (256 bits, base64url). */
export function newResumeToken(): string {
  return randomBytes(32).toString('base64url');
}
