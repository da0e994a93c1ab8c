import { getMetadataStorage, ValidationArguments, ValidationTypes, ValidatorConstraintInterface } from 'class-validator';

/** True when class-validator's validateSync would report no error for the object. */
export type CompiledValidator = (object: object) => boolean;

interface PropertyCheck {
  readonly property: string;
  /** @ValidateIf conditions: all must hold for the property to be validated. */
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly constraints: ReadonlyArray<{
    readonly validateIf?: (object: object, value: unknown) => boolean;
    readonly constraints: unknown[];
    readonly validators: readonly ValidatorConstraintInterface[];
  }>;
  /** The class of a @ValidateNested value, whose own checks then run. */
  readonly nested: boolean;
}

/**
 * A fast yes/no form of class-validator's validateSync for one class, built
 * once from the same decorator metadata and calling the same constraint
 * functions. validateSync regroups all metadata and allocates error objects on
 * every call; on the relay hot path that was the largest share of CPU. Only
 * acceptance is decided here: a refused object is validated again with
 * validateSync for its exact error. The supported decorators are those the
 * contract uses (conditions, custom constraints, @IsDefined, @ValidateNested on
 * plain objects); compiling anything else throws at start-up, and a test checks
 * agreement with validateSync on random inputs.
 */
export function compileValidator(target: new () => object): CompiledValidator {
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(target, '', true, false));
  const checks: PropertyCheck[] = Object.entries(grouped).map(([property, metadatas]) => {
    const conditions: Array<(object: object, value: unknown) => boolean> = [];
    const constraints: Array<PropertyCheck['constraints'][number]> = [];
    let nested = false;
    for (const metadata of metadatas) {
      if (metadata.each || (metadata.groups && metadata.groups.length > 0)) {
        throw new Error(`compileValidator: ${target.name}.${property} uses an unsupported option`);
      }
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED: {
          const validators = storage.getTargetValidatorConstraints(metadata.constraintCls).map((constraint) => {
            if (constraint.async) throw new Error(`compileValidator: ${target.name}.${property} is async`);
            return constraint.name === 'maxLength' ? withLengthShortcut(constraint.instance) : constraint.instance;
          });
          const validateIf = (metadata as { validateIf?: (object: object, value: unknown) => boolean }).validateIf;
          constraints.push({ validateIf, constraints: metadata.constraints, validators });
          break;
        }
        case ValidationTypes.NESTED_VALIDATION:
          nested = true;
          break;
        default:
          throw new Error(`compileValidator: ${target.name}.${property} uses unsupported ${metadata.type}`);
      }
    }
    return { property, conditions, constraints, nested };
  });
  const nestedValidators = new Map<object, CompiledValidator>();
  const args: ValidationArguments = { targetName: target.name, property: '', object: {}, value: undefined, constraints: [] };

  // forbidUnknownValues (the default): an object of a class without metadata is invalid
  if (checks.length === 0) return () => false;

  return (object: object): boolean => {
    for (const check of checks) {
      const value = (object as Record<string, unknown>)[check.property];
      if (!check.conditions.every((condition) => condition(object, value))) continue;
      for (const constraint of check.constraints) {
        if (constraint.validateIf && !constraint.validateIf(object, value)) continue;
        args.property = check.property;
        args.object = object;
        args.value = value;
        args.constraints = constraint.constraints;
        for (const validator of constraint.validators) if (!validator.validate(value, args)) return false;
      }
      if (check.nested && value !== undefined) {
        if (!(value instanceof Object) || Array.isArray(value) || value instanceof Set || value instanceof Map) return false;
        let nestedValidator = nestedValidators.get(value.constructor);
        if (!nestedValidator) {
          nestedValidator = compileValidator(value.constructor as new () => object);
          nestedValidators.set(value.constructor, nestedValidator);
        }
        if (!nestedValidator(value)) return false;
      }
    }
    return true;
  };
}

/**
 * @MaxLength counts code points (validator's isLength runs two regular expressions over
 * the whole string to find surrogate pairs and variation selectors), which for a 3 KB SDP
 * was the largest part of its validation. That count never exceeds the string's UTF-16
 * length, so a string whose length is within the limit passes without it; only a longer
 * one is counted.
 */
function withLengthShortcut(validator: ValidatorConstraintInterface): ValidatorConstraintInterface {
  return {
    validate: (value: unknown, args?: ValidationArguments) =>
      (typeof value === 'string' && args !== undefined && value.length <= (args.constraints[0] as number)) || validator.validate(value, args),
  };
}
