import { ValidationError } from 'class-validator';

/**
 * One line naming the first bad field, nested fields as a dotted path:
 * `field "report.rttMs": rttMs must be a number ...`. class-validator's default
 * messages never include the value, so nothing the sender wrote is echoed.
 */
export function describeValidationError(error: ValidationError, path = ''): string {
  const field = path ? `${path}.${error.property}` : error.property;
  if (error.constraints) return `field "${field}": ${pickConstraint(error.constraints)}`;
  const child = error.children?.[0];
  return child ? describeValidationError(child, field) : `field "${field}" is invalid`;
}

// A wrong type is the root cause; report it before the length or range it also fails.
const TYPE_CONSTRAINTS = ['isDefined', 'isString', 'isNumber', 'isInt', 'isObject', 'isIn'];

function pickConstraint(constraints: Record<string, string>): string {
  const typeKey = TYPE_CONSTRAINTS.find((key) => key in constraints);
  return constraints[typeKey ?? Object.keys(constraints)[0]];
}
