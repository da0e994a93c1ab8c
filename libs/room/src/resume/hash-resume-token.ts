import { createHash } from 'node:crypto';

/**
 * What Redis stores for a resume token: its SHA-256 (base64url). A token is 256
 * random bits, so the hash cannot be reversed, and a dump of Redis resumes nobody.
 */
export function hashResumeToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
