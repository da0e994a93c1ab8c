import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { isOriginAllowed } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import type { AdmissionResult } from '../metrics/signaling-metrics';
import { remoteAddress } from '../signaling/remote-address';
import { connectionIsSecure } from './connection-is-secure';
import { JwtVerifier } from './jwt-verifier';
import type { PeerRequest } from './peer-request';
import { presentedToken } from './presented-token';
import { TrustedProxies } from './trusted-proxies';

/** A refusal, named by its `CLOSE_CODE` key so the close-code table stays the one mapping. */
export interface AccessRefusal {
  readonly ok: false;
  readonly close: 'unauthorized' | 'forbidden' | 'tryAgainLater';
  readonly result: AdmissionResult;
  readonly reason: string;
}

export type AccessVerdict = AccessRefusal | { readonly ok: true; readonly user: string | null };

/** The checks that need no waiting passed; the token's verdict follows. */
export type AccessScreening = AccessRefusal | { readonly ok: true; readonly remoteAddr: string; readonly verdict: Promise<AccessVerdict> };

const ANONYMOUS: Promise<AccessVerdict> = Promise.resolve({ ok: true, user: null });

function refusal(close: AccessRefusal['close'], result: AdmissionResult, reason: string): AccessRefusal {
  return { ok: false, close, result, reason };
}

/**
 * Who may open a signaling socket (PROTOCOL section 1): origin, TLS, the
 * token and the rooms it grants, and the peer's address behind trusted
 * proxies. Tokens are never logged.
 */
@Injectable()
export class AccessService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AccessService.name);
  private readonly verifier: JwtVerifier | null;
  private readonly proxies: TrustedProxies;

  constructor(private readonly config: GatewayConfig) {
    this.verifier = config.auth.enabled ? new JwtVerifier(config.auth) : null;
    this.proxies = TrustedProxies.from(config.transport.trustedProxies);
  }

  onApplicationBootstrap(): void {
    // the first peer should not wait for the key set; if it is down now, the first verification retries
    this.verifier?.warmUp().catch((error: unknown) => {
      this.logger.warn(`JWKS not fetched at start-up, retried on the first token: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** The peer's `ip:port`, through trusted proxies only (session documents, per-IP limits). */
  remoteAddress(request: PeerRequest): string {
    return remoteAddress(request, this.proxies);
  }

  /** Origin, scheme and the presence of a token: refused at once, before any await. */
  screen(request: PeerRequest, room: string, queryToken: string | undefined): AccessScreening {
    if (!isOriginAllowed(this.config.admission.allowedOrigins, request.headers.origin)) {
      return refusal('forbidden', 'forbidden', 'origin not allowed');
    }
    if (this.config.transport.requireWss && !connectionIsSecure(request, this.proxies)) {
      return refusal('forbidden', 'forbidden', 'wss required');
    }
    const remoteAddr = this.remoteAddress(request);
    if (!this.verifier) return { ok: true, remoteAddr, verdict: ANONYMOUS };
    const presented = presentedToken(queryToken, request.headers.authorization);
    if (!presented.ok) return refusal('unauthorized', 'unauthorized', presented.reason);
    if (presented.token === undefined) return refusal('unauthorized', 'unauthorized', 'token required');
    return { ok: true, remoteAddr, verdict: this.authorize(this.verifier, presented.token, room) };
  }

  private async authorize(verifier: JwtVerifier, token: string, room: string): Promise<AccessVerdict> {
    const verdict = await verifier.verify(token);
    if (!verdict.ok) {
      if (verdict.failure === 'unavailable') {
        this.logger.warn('refused a peer: the JWKS could not be fetched');
        return refusal('tryAgainLater', 'unavailable', 'try again later');
      }
      this.logger.debug(`refused a token: ${verdict.reason}`);
      return refusal('unauthorized', 'unauthorized', verdict.reason);
    }
    if (!verdict.grant.allows(room)) return refusal('forbidden', 'forbidden', 'room not allowed by the token');
    return { ok: true, user: verdict.grant.user };
  }
}
