import type { SessionFold } from './session-fold';
import type { SessionRules } from './session-rules';
import { renderSessionDocument } from './render-session-document';

/**
 * When the session's outcome could change with no further event (Unix ms): the
 * no-answer deadline while unanswered, the ICE deadline while answered but not
 * connected; null once it has connected or ended.
 */
export function nextDeadline(fold: SessionFold, rules: SessionRules): number | null {
  const document = renderSessionDocument(fold, rules);
  if (document.ended_at !== null || fold.connectedAt !== null) return null;
  const createdAt = fold.offerAt ?? fold.firstAt;
  const negotiationDeadline = createdAt + rules.negotiationTimeoutMs;
  if (fold.answerAt !== null && fold.answerAt <= negotiationDeadline) return fold.answerAt + rules.iceTimeoutMs;
  return negotiationDeadline;
}
