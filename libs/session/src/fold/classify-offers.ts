import type { PeerId } from '@sg/schema';
import type { SessionFold } from './session-fold';

export type LaterOffer = 'ice restart' | 'renegotiation';

export interface OfferCounts {
  iceRestarts: number;
  renegotiations: number;
  /**
   * What each remembered offer was, by `offerKey`: null for the first offer, else its kind,
   * in time order (offers of one key are alike, so any of them may take any of the labels).
   * Null for a fold written before offers were remembered.
   */
  labels: Map<string, Array<LaterOffer | null>> | null;
}

/**
 * Tells ICE restarts from renegotiations (PROTOCOL section 2). Every offer after the first,
 * either way, taken in time order (not the order they were read), is a renegotiation when
 * its `a=ice-ufrag` is the one its sender last used, else an ICE restart. The fragment in an
 * SDP is its sender's own, so "the previous offer's" credentials an offer is compared with are
 * its sender's: from its previous offer, or its answer when that came later (a side that
 * renegotiates after having only answered keeps the fragment of its answer). When nothing of
 * the sender's is known, the previous offer's fragment, whoever sent it, is compared.
 * An offer whose fragment is unknown (an event written before gateways sent it), or that
 * follows one, is an ICE restart, as every later offer was counted before; so is every offer
 * past the `SDPS_KEPT` earliest offers and answers the fold remembers.
 */
export function classifyOffers(fold: SessionFold): OfferCounts {
  const later = Math.max(0, fold.offers - 1);
  const log = fold.sdpLog;
  if (!log) return { iceRestarts: later, renegotiations: 0, labels: null };
  const labels = new Map<string, Array<LaterOffer | null>>();
  const lastUsedBy = new Map<PeerId, string | null>();
  let previousOffer: { ufrag: string | null } | null = null;
  let renegotiations = 0;
  for (const record of log) {
    if (record.signal === 'offer') {
      let label: LaterOffer | null = null;
      if (previousOffer) {
        const before = lastUsedBy.has(record.from) ? lastUsedBy.get(record.from) : previousOffer.ufrag;
        label = record.ufrag !== null && record.ufrag === before ? 'renegotiation' : 'ice restart';
        if (label === 'renegotiation') renegotiations += 1;
      }
      previousOffer = record;
      const key = offerKey(record.t, record.from, record.ufrag ?? undefined);
      labels.set(key, [...(labels.get(key) ?? []), label]);
    }
    lastUsedBy.set(record.from, record.ufrag);
  }
  return { iceRestarts: later - renegotiations, renegotiations, labels };
}

/** An offer as the timeline and the fold's log both know it: time, sender, ICE fragment. */
export function offerKey(t: number, from: PeerId, ufrag: string | undefined): string {
  return `${t}\n${from}\n${ufrag ?? ''}`;
}
