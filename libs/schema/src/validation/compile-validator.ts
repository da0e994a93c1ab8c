import { getMetadataStorage, ValidationArguments, ValidationTypes, ValidatorConstraintInterface } from 'class-validator';

/** True when class-validator's validateSync would report no error for the object. */
export type CompiledValidator = (object: object) => boolean;

type Condition = (object: object, value: unknown) => boolean;

interface ConstraintCheck {
  /** The decorator's name (`isString`, `maxLength`, ...): the built-ins below are inlined. */
  readonly name: string;
  readonly validateIf?: Condition;
  readonly constraints: unknown[];
  readonly validator: ValidatorConstraintInterface;
}

interface PropertyCheck {
  readonly property: string;
  /** @ValidateIf conditions: all must hold for the property to be validated. */
  readonly conditions: readonly Condition[];
  readonly constraints: readonly ConstraintCheck[];
  /** The class of a @ValidateNested value, whose own checks then run. */
  readonly nested: boolean;
}

/**
 * A fast yes/no form of class-validator's validateSync for one class, built once from the
 * same decorator metadata. validateSync regroups all metadata and allocates error objects on
 * every call; a generic loop over the metadata instead (the first form of this function) read
 * every property through one megamorphic keyed load and allocated a closure per condition,
 * which profiles of the relay put among its largest costs. So the check is generated as
 * JavaScript source, one function per class, with each property read by its literal name and
 * class-validator's simple built-ins (isString, maxLength, isInt, min, max, isIn, isNotEmpty,
 * isDefined) written out with the library's own semantics; any other constraint calls the
 * library's function. Only acceptance is decided here: a refused object is validated again
 * with validateSync for its exact error. Supported decorators are those the contract uses
 * (conditions, custom constraints, @IsDefined, @ValidateNested on plain objects); anything
 * else throws at start-up, and a test checks agreement with validateSync on random inputs.
 *
 * The generated source holds no input: property names come from this code base's decorators
 * (embedded as JSON string literals) and every other value is passed in as a reference.
 */
export function compileValidator(target: new () => object): CompiledValidator {
  const checks = propertyChecks(target);
  // forbidUnknownValues (the default): an object of a class without metadata is invalid
  if (checks.length === 0) return () => false;
  const refs: unknown[] = [];
  const ref = (value: unknown): string => {
    refs.push(value);
    return `r${refs.length - 1}`;
  };
  const nestedValidators = new Map<object, CompiledValidator>();
  const validateNested = (value: object): boolean => {
    let validator = nestedValidators.get(value.constructor);
    if (!validator) {
      validator = compileValidator(value.constructor as new () => object);
      nestedValidators.set(value.constructor, validator);
    }
    return validator(value);
  };
  const lines = ['let v;'];
  for (const check of checks) {
    lines.push(`v = o[${JSON.stringify(check.property)}];`);
    const body: string[] = check.constraints.map((constraint) => {
      const test = constraintTest(constraint, check.property, target.name, ref);
      return constraint.validateIf ? `if (${ref(constraint.validateIf)}(o, v) && !(${test})) return false;` : `if (!(${test})) return false;`;
    });
    if (check.nested) {
      body.push(`if (v !== undefined && (!(v instanceof Object) || Array.isArray(v) || v instanceof Set || v instanceof Map || !${ref(validateNested)}(v))) return false;`);
    }
    if (check.conditions.length === 0) lines.push(...body);
    else lines.push(`if (${check.conditions.map((condition) => `${ref(condition)}(o, v)`).join(' && ')}) {`, ...body, '}');
  }
  lines.push('return true;');
  // the source is built above from decorator metadata only (see the doc comment)
  // each reference a constant of the closure, which the compiler can inline, not an array element
  const constants = refs.map((_, i) => `const r${i} = r[${i}];`).join('\n');
  const build = new Function('r', `${constants}\nreturn function validate${safeName(target.name)}(o) {\n${lines.join('\n')}\n};`) as (refs: unknown[]) => CompiledValidator;
  return build(refs);
}

function propertyChecks(target: new () => object): PropertyCheck[] {
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(target, '', true, false));
  return Object.entries(grouped).map(([property, metadatas]) => {
    const conditions: Condition[] = [];
    const constraints: ConstraintCheck[] = [];
    let nested = false;
    for (const metadata of metadatas) {
      if (metadata.each || (metadata.groups && metadata.groups.length > 0)) {
        throw new Error(`compileValidator: ${target.name}.${property} uses an unsupported option`);
      }
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(metadata.constraints[0] as Condition);
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED: {
          const validateIf = (metadata as { validateIf?: Condition }).validateIf;
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async) throw new Error(`compileValidator: ${target.name}.${property} is async`);
            constraints.push({ name: constraint.name, validateIf, constraints: metadata.constraints, validator: constraint.instance });
          }
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
}

/**
 * One constraint as a JavaScript expression over `v` (the property's value) and `o` (the
 * object), true when it holds. The inlined built-ins repeat class-validator's definitions.
 */
function constraintTest(constraint: ConstraintCheck, property: string, targetName: string, ref: (value: unknown) => string): string {
  const first: unknown = constraint.constraints?.[0];
  const call = () => {
    const args: ValidationArguments = { targetName, property, object: {}, value: undefined, constraints: constraint.constraints };
    const argsRef = ref(args);
    return `(${argsRef}.object = o, ${argsRef}.value = v, ${ref(constraint.validator)}.validate(v, ${argsRef}))`;
  };
  switch (constraint.name) {
    case 'isString':
      return `typeof v === 'string' || v instanceof String`;
    case 'isDefined':
      return `v !== undefined && v !== null`;
    case 'isNotEmpty':
      return `v !== '' && v !== null && v !== undefined`;
    case 'isInt':
      return `typeof v === 'number' && Number.isInteger(v)`;
    case 'min':
      return typeof first === 'number' ? `typeof v === 'number' && v >= ${ref(first)}` : call();
    case 'max':
      return typeof first === 'number' ? `typeof v === 'number' && v <= ${ref(first)}` : call();
    case 'isIn':
      // unrolled: one strict comparison per allowed value, as the library's `some` makes
      return Array.isArray(first) ? `(${first.map((allowed) => `v === ${ref(allowed)}`).join(' || ') || 'false'})` : call();
    case 'maxLength':
      // the library counts code points (two regular expressions over the string), a count never
      // above the UTF-16 length: a string within the limit by length passes without it
      return typeof first === 'number' ? `typeof v === 'string' && (v.length <= ${ref(first)} || ${call()})` : call();
    default:
      return call();
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, '_');
}
