import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';

const REDACTED = '[redacted]';

/** What ioredis hangs on its errors: the command a reply error answers, and a cluster's last node error. */
interface IoredisErrorFields {
  command?: { name?: unknown; args?: unknown };
  lastNodeError?: unknown;
  cause?: unknown;
}

/**
 * Blanks, in place, the arguments of a refused `AUTH` that ioredis attaches to its errors
 * (`error.command.args`: the username and the password). A cluster's "Failed to refresh
 * slots cache" carries such an error as its `lastNodeError`. Loggers that serialize an
 * error's own properties (pino, and so Nest's logger in the apps) would otherwise print
 * the password the first time a node refuses it.
 */
export function redactRedisCredentials(error: unknown): void {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 4; depth++) {
    const fields = current as IoredisErrorFields;
    const command = fields.command;
    if (command && typeof command.name === 'string' && command.name.toLowerCase() === 'auth' && Array.isArray(command.args)) {
      command.args = command.args.map(() => REDACTED);
    }
    current = fields.lastNodeError ?? fields.cause;
  }
}

/**
 * Redacts every error the connection reports before any other listener sees it (Nest's
 * transport logs them as they are), and so do its duplicates. The promise of a command
 * refused with that error settles later than the event, so its handlers see it redacted too.
 */
export function redactCredentialsOfErrors(connection: Redis | Cluster): void {
  connection.prependListener('error', redactRedisCredentials);
  if ((connection as Cluster).isCluster) connection.prependListener('node error', redactRedisCredentials);
  const duplicate = connection.duplicate.bind(connection) as (...args: unknown[]) => Redis | Cluster;
  connection.duplicate = ((...args: unknown[]) => {
    const copy = duplicate(...args);
    redactCredentialsOfErrors(copy);
    return copy;
  }) as typeof connection.duplicate;
}
