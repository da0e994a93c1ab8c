import { IsInt, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';

/** "8080" -> 8080; anything that is not a plain decimal integer stays a string and fails @IsInt. */
export const ToInt = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value));

/** "true"/"false" (any case) -> boolean; anything else fails @IsBoolean. */
export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const lowered = value.trim().toLowerCase();
    return lowered === 'true' ? true : lowered === 'false' ? false : value;
  });

/** "a, b,,c" -> ["a", "b", "c"]. */
export const ToList = (): PropertyDecorator =>
  Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0)
      : value,
  );

/**
 * An integer variable within [min, max]: parsed from its string, and every way
 * it can be wrong (not a number, a fraction, out of range) gets one message.
 */
export const IntegerIn = (min: number, max: number): PropertyDecorator => {
  const message = `must be an integer from ${min} to ${max}`;
  const decorators = [ToInt(), IsInt({ message }), Min(min, { message }), Max(max, { message })];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
};
