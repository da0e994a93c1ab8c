import { inspect } from 'node:util';
import { Logger, LoggerService } from '@nestjs/common';
import type { ClientRedis, ServerRedis } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';

/** Everything a value holds, own properties and nested errors included, as a logger serializing it could print it. */
export function everything(value: unknown): string {
  return inspect(value, { depth: 10, showHidden: true });
}

/** Nest's logger, recording every call's arguments as they were passed. */
export class RecordingLogger implements LoggerService {
  readonly calls: unknown[][] = [];
  log = (...args: unknown[]) => void this.calls.push(args);
  error = (...args: unknown[]) => void this.calls.push(args);
  warn = (...args: unknown[]) => void this.calls.push(args);
  debug = (...args: unknown[]) => void this.calls.push(args);
  verbose = (...args: unknown[]) => void this.calls.push(args);
}

/** Listens with `server`, sends one request through `client`, and answers what came back; closes both. */
export async function requestThrough(server: ServerRedis, client: ClientRedis): Promise<number> {
  server.addHandler('double', async (value: number) => value * 2, false);
  await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
  try {
    await client.connect();
    return await firstValueFrom(client.send<number>('double', 21).pipe(timeout(5_000)));
  } finally {
    await client.close();
    await server.close();
  }
}

/**
 * Starts `server` (which Redis refuses) with Nest's logger recording, and answers everything
 * logged once a line matches `refusal` (at most 10 s): what an operator's log would hold.
 */
export async function logsOfRefusedServer(server: ServerRedis, refusal: RegExp): Promise<string> {
  const logger = new RecordingLogger();
  Logger.overrideLogger(logger);
  try {
    // refused: listening fails, which is not what the caller looks at
    Promise.resolve(server.listen(() => undefined)).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (!logger.calls.some((args) => refusal.test(everything(args)))) {
      if (Date.now() > deadline) throw new Error(`nothing matching ${refusal} logged within 10 s: ${everything(logger.calls)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return everything(logger.calls);
  } finally {
    await Promise.resolve(server.close()).catch(() => undefined);
    Logger.overrideLogger(true);
  }
}
