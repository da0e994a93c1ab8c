import { randomBytes } from 'node:crypto';

/** A room or node name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
