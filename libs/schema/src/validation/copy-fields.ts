import { getMetadataStorage } from 'class-validator';

/**
 * The names of the properties a class validates (its own and inherited). Only
 * these are copied from untrusted input: a key like `__proto__` or `constructor`
 * must never reach an instance (it would swap its prototype and crash the
 * validator), and unknown keys are dropped rather than passed on.
 */
export function validatedFields(target: new () => object): readonly string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(target, '', true, false).map((meta) => meta.propertyName))];
}

/** Copies the listed own fields of `source` onto `target`; cheaper than class-transformer on a hot path. */
export function copyFields<T extends object>(source: Record<string, unknown>, target: T, fields: readonly string[]): T {
  for (const field of fields) {
    if (Object.hasOwn(source, field)) (target as Record<string, unknown>)[field] = source[field];
  }
  return target;
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
