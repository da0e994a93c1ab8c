import { createHmac } from 'node:crypto';
import type { IceServer } from '@sg/schema';

export interface IceServerConfig {
  readonly stunUrls: readonly string[];
  readonly turnUrls: readonly string[];
  readonly turnUsername?: string;
  readonly turnPassword?: string;
  /** Shared secret of the TURN REST scheme (coturn `use-auth-secret`). */
  readonly turnSecret?: string;
  readonly turnTtlSeconds: number;
}

/**
 * The `iceServers` of `welcome`. With a TURN secret, credentials are
 * time-limited: username `<expiry>:<peer>`, password base64(HMAC-SHA1(secret, username)),
 * which is what coturn checks; otherwise the static username and password.
 */
export function buildIceServers(config: IceServerConfig, peerId: string, nowMs: number): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: [...config.stunUrls] });
  if (config.turnUrls.length === 0) return servers;
  if (config.turnSecret) {
    const expiry = Math.floor(nowMs / 1000) + config.turnTtlSeconds;
    const username = `${expiry}:${peerId}`;
    const credential = createHmac('sha1', config.turnSecret).update(username).digest('base64');
    servers.push({ urls: [...config.turnUrls], username, credential });
  } else if (config.turnUsername !== undefined && config.turnPassword !== undefined) {
    servers.push({ urls: [...config.turnUrls], username: config.turnUsername, credential: config.turnPassword });
  } else {
    servers.push({ urls: [...config.turnUrls] });
  }
  return servers;
}
