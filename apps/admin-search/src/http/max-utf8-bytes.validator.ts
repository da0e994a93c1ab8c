import { ValidateBy, ValidationOptions } from 'class-validator';
import { utf8Bytes } from './request-limits';

/**
 * A string of at most `max` UTF-8 bytes. class-validator's `IsByteLength` goes through
 * `encodeURI`, which throws on a lone surrogate: that would be a 500 for a string JSON allows.
 */
export function MaxUtf8Bytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxUtf8Bytes',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && utf8Bytes(value) <= max,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be at most ${max} bytes (UTF-8)`,
      },
    },
    options,
  );
}
