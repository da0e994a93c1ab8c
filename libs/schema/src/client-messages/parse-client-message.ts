import { validateSync, ValidationError } from 'class-validator';
import { CLIENT_MESSAGE_CLASSES, ClientMessage, ClientMessageType } from './client-message';
import { StatsReport } from './stats-report';

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
  const messageClass = CLIENT_MESSAGE_CLASSES[type as ClientMessageType];
  // Object.assign instead of class-transformer: this is the relay hot path
  const message: ClientMessage = Object.assign(new messageClass(), data);
  if (message.type === 'stats' && isPlainObject(data['report'])) {
    message.report = Object.assign(new StatsReport(), data['report']);
  }
  const errors = validateSync(message, VALIDATION_OPTIONS);
  if (errors.length > 0) return reject(`${type}: ${describe(errors[0])}`, ref);
  return { ok: true, message };
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
