import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvValidationError } from './env-validation.error';

/**
 * Validates environment variables against a class-validator class, with the
 * class's initializers as defaults. Unknown variables are ignored; empty ones
 * count as unset. Throws EnvValidationError naming every bad variable.
 */
export function validateEnv<T extends object>(envClass: new () => T, raw: NodeJS.ProcessEnv): T {
  const known = Object.keys(new envClass());
  const present: Record<string, string> = {};
  for (const key of known) {
    const value = raw[key];
    if (value !== undefined && value !== '') present[key] = value;
  }
  const env = plainToInstance(envClass, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: true });
  if (errors.length > 0) throw new EnvValidationError(errors.map(describe));
  return env;
}

function describe(error: ValidationError): string {
  // constraint messages from our env classes never embed the value
  const constraints = error.constraints ?? {};
  const reasons = constraints['isDefined'] ? [constraints['isDefined']] : [...new Set(Object.values(constraints))];
  return `${error.property}: ${reasons.join('; ') || 'is invalid'}`;
}
