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

/** Copies the listed own fields of `source` onto `target`, and returns `target`. */
export type FieldCopier = <T extends object>(source: Record<string, unknown>, target: T) => T;

/**
 * A copier of the listed fields, cheaper than class-transformer on a hot path: generated as
 * source (like compileValidator) so that each field is read and written by its literal name
 * rather than through one megamorphic keyed access. The names come from this code base's
 * decorators, embedded as JSON string literals.
 */
export function compileFieldCopier(fields: readonly string[]): FieldCopier {
  const lines = fields.map((field) => {
    const name = JSON.stringify(field);
    return `if (hasOwn(s, ${name})) t[${name}] = s[${name}];`;
  });
  const build = new Function('hasOwn', `return function copyFields(s, t) {\n${lines.join('\n')}\nreturn t;\n};`) as (hasOwn: (object: object, key: string) => boolean) => FieldCopier;
  return build(Object.hasOwn);
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
