import { maxLength, validateSync } from 'class-validator';
import { LIMITS } from '../limits';
import { compileFieldCopier, FieldCopier, isPlainObject, validatedFields } from '../validation/copy-fields';
import { describeValidationError } from '../validation/describe-validation-error';
import { CLIENT_MESSAGE_CLASSES, ClientMessage, ClientMessageType } from './client-message';
import { compileValidator, CompiledValidator } from '../validation/compile-validator';
import { STATS_REPORT_KEYS, StatsReport } from './stats-report';

export interface MessageRejection {
  readonly code: 'schema-error';
  readonly message: string;
  /** The client's `id` when the frame had a usable one. */
  readonly ref?: string;
}

export type ParseClientMessageResult =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly error: MessageRejection };

const VALIDATION_OPTIONS = {
  // unknown top-level keys are ignored, never relayed: the gateway copies known fields only
  whitelist: false,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * The one parser of client frames (PROTOCOL section 1). Expected failures are
 * values, not exceptions: the gateway answers them with an `error` frame.
 */
export function parseClientMessage(raw: string): ParseClientMessageResult {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return reject('frame is not valid JSON');
  }
  if (!isPlainObject(data)) return reject('frame must be a JSON object');
  // the id's own check counts characters (a surrogate pair is one), not UTF-16 units: an id
  // the schema accepts is always echoed
  const ref = typeof data['id'] === 'string' && maxLength(data['id'], LIMITS.messageIdMaxLength) ? data['id'] : undefined;
  const type = data['type'];
  if (typeof type !== 'string') return reject('field "type" must be a string', ref);
  if (!Object.prototype.hasOwnProperty.call(CLIENT_MESSAGE_CLASSES, type)) {
    return reject(`unknown message type "${type.slice(0, 32)}"`, ref);
  }
  // a frame trying to reach an object's prototype is hostile, not merely malformed
  if (hasOwn(data, '__proto__') || (isPlainObject(data['report']) && hasOwn(data['report'], '__proto__'))) {
    return reject(`${type}: field "__proto__" is not allowed`, ref);
  }
  const message = new CLIENT_MESSAGE_CLASSES[type as ClientMessageType]();
  COPY_FIELDS[type as ClientMessageType](data, message);
  if (message.type === 'stats' && isPlainObject(data['report'])) {
    message.report = copyReportFields(data['report'], new StatsReport());
  }
  if (FAST_VALIDATORS[message.type](message)) return { ok: true, message };
  // refused by the compiled check: class-validator itself decides, and words the error
  const errors = validateSync(message, VALIDATION_OPTIONS);
  if (errors.length > 0) return reject(`${type}: ${describeValidationError(errors[0])}`, ref);
  return { ok: true, message };
}

/** Copies the validated fields of each message class: only these are taken from the frame. */
const COPY_FIELDS = Object.fromEntries(
  Object.entries(CLIENT_MESSAGE_CLASSES).map(([type, messageClass]) => [type, compileFieldCopier(validatedFields(messageClass))]),
) as unknown as Record<ClientMessageType, FieldCopier>;

const copyReportFields = compileFieldCopier(STATS_REPORT_KEYS);

const FAST_VALIDATORS = Object.fromEntries(
  Object.entries(CLIENT_MESSAGE_CLASSES).map(([type, messageClass]) => [type, compileValidator(messageClass)]),
) as unknown as Record<ClientMessageType, CompiledValidator>;

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function reject(message: string, ref?: string): ParseClientMessageResult {
  return { ok: false, error: ref === undefined ? { code: 'schema-error', message } : { code: 'schema-error', message, ref } };
}
