import { validateSync } from 'class-validator';
import { compileValidator, type CompiledValidator } from '../validation/compile-validator';
import { STATS_REPORT_KEYS, StatsReport } from '../client-messages/stats-report';
import { compileFieldCopier, FieldCopier, isPlainObject, validatedFields } from '../validation/copy-fields';
import { describeValidationError } from '../validation/describe-validation-error';
import { SESSION_EVENT_CLASSES, type SessionEvent, type SessionEventKind } from './session-event';

export type ParseSessionEventResult =
  | { readonly ok: true; readonly event: SessionEvent }
  | { readonly ok: false; readonly error: string };

const VALIDATION_OPTIONS = {
  whitelist: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** Longest part of a sent value an error may quote. */
const QUOTE_MAX_LENGTH = 64;

/**
 * Validates one session event read back from the stream (an element of a
 * batch, already JSON-parsed) into a fresh instance of its class. Expected
 * failures are values: the indexer dead-letters the event with `error`, e.g.
 * `signal: field "to": to must be a string`.
 */
export function parseSessionEvent(data: unknown): ParseSessionEventResult {
  if (!isPlainObject(data)) return reject('event must be a JSON object');
  const kind = Object.hasOwn(data, 'kind') ? data['kind'] : undefined;
  if (typeof kind !== 'string') return reject('field "kind" must be a string');
  if (!Object.hasOwn(SESSION_EVENT_CLASSES, kind)) return reject(`unknown event kind "${kind.slice(0, QUOTE_MAX_LENGTH)}"`);
  const event = new SESSION_EVENT_CLASSES[kind as SessionEventKind]();
  // only validated fields are copied: `__proto__`, `constructor` and unknown keys are left behind
  COPY_FIELDS[event.kind](data, event);
  if (event.kind === 'stats' && isPlainObject(data['report'])) {
    event.report = copyReportFields(data['report'], new StatsReport());
  }
  if (FAST_VALIDATORS[event.kind](event)) return { ok: true, event };
  // refused by the compiled check: class-validator itself decides, and words the error
  const errors = validateSync(event, VALIDATION_OPTIONS);
  if (errors.length > 0) return reject(`${event.kind}: ${describeValidationError(errors[0])}`);
  return { ok: true, event };
}

const COPY_FIELDS = Object.fromEntries(
  Object.entries(SESSION_EVENT_CLASSES).map(([kind, eventClass]) => [kind, compileFieldCopier(validatedFields(eventClass))]),
) as unknown as Record<SessionEventKind, FieldCopier>;

const copyReportFields = compileFieldCopier(STATS_REPORT_KEYS);

// validateSync per event is too slow for the indexer's rate; it only words refusals
const FAST_VALIDATORS = Object.fromEntries(
  Object.entries(SESSION_EVENT_CLASSES).map(([kind, eventClass]) => [kind, compileValidator(eventClass)]),
) as unknown as Record<SessionEventKind, CompiledValidator>;

function reject(error: string): ParseSessionEventResult {
  return { ok: false, error };
}
