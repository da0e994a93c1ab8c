import { randomFillSync } from 'node:crypto';

const TOKEN_BYTES = 32;
/** Tokens drawn per call to the CSPRNG: one call per join cost more than the rest of making a token (as Node's randomUUID batches). */
const POOL_TOKENS = 128;
const pool = Buffer.alloc(TOKEN_BYTES * POOL_TOKENS);
let next = pool.length;

/** An opaque, unguessable resume token (256 bits from the CSPRNG, base64url). */
export function newResumeToken(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const token = pool.toString('base64url', next, next + TOKEN_BYTES);
  next += TOKEN_BYTES;
  return token;
}
