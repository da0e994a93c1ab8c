import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { CLIENT_MESSAGE_CLASSES, ClientMessage, ClientMessageType } from './client-message';
import { compileValidator, CompiledValidator } from './compile-validator';
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
  const ref = typeof data['id'] === 'string' && data['id'].length <= 128 ? data['id'] : undefined;
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
  copyFields(data, message, MESSAGE_FIELDS[type as ClientMessageType]);
  if (message.type === 'stats' && isPlainObject(data['report'])) {
    message.report = copyFields(data['report'], new StatsReport(), STATS_REPORT_KEYS);
  }
  if (FAST_VALIDATORS[message.type](message)) return { ok: true, message };
  // refused by the compiled check: class-validator itself decides, and words the error
  const errors = validateSync(message, VALIDATION_OPTIONS);
  if (errors.length > 0) return reject(`${type}: ${describe(errors[0])}`, ref);
  return { ok: true, message };
}

/**
 * The validated fields of each message class. Only these are copied from the
 * frame: a key like `__proto__` or `constructor` must never reach the instance
 * (it would swap its prototype and crash the validator), and unknown keys are
 * dropped rather than relayed. Cheaper than class-transformer on the hot path.
 */
const MESSAGE_FIELDS = Object.fromEntries(
  Object.entries(CLIENT_MESSAGE_CLASSES).map(([type, messageClass]) => [
    type,
    [...new Set(getMetadataStorage().getTargetValidationMetadatas(messageClass, '', true, false).map((meta) => meta.propertyName))],
  ]),
) as unknown as Record<ClientMessageType, readonly string[]>;

const FAST_VALIDATORS = Object.fromEntries(
  Object.entries(CLIENT_MESSAGE_CLASSES).map(([type, messageClass]) => [type, compileValidator(messageClass)]),
) as unknown as Record<ClientMessageType, CompiledValidator>;

function copyFields<T extends object>(source: Record<string, unknown>, target: T, fields: readonly string[]): T {
  for (const field of fields) {
    if (hasOwn(source, field)) (target as Record<string, unknown>)[field] = source[field];
  }
  return target;
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function reject(message: string, ref?: string): ParseClientMessageResult {
  return { ok: false, error: ref === undefined ? { code: 'schema-error', message } : { code: 'schema-error', message, ref } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: ValidationError, path = ''): string {
  const field = path ? `${path}.${error.property}` : error.property;
  if (error.constraints) return `field "${field}": ${pickConstraint(error.constraints)}`;
  const child = error.children?.[0];
  return child ? describe(child, field) : `field "${field}" is invalid`;
}

// A wrong type is the root cause; report it before the length or range it also fails.
const TYPE_CONSTRAINTS = ['isDefined', 'isString', 'isNumber', 'isInt', 'isObject', 'isIn'];

function pickConstraint(constraints: Record<string, string>): string {
  const typeKey = TYPE_CONSTRAINTS.find((key) => key in constraints);
  return constraints[typeKey ?? Object.keys(constraints)[0]];
}
