import { ValidateIf } from 'class-validator';

/**
 * The field may be absent, but if present it must pass the other constraints.
 * Unlike @IsOptional, `null` is not "absent": `{"to": null}` is a schema error.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);

/**
 * The field must be present but may be `null`, which skips the other
 * constraints: `{"user": null}` passes, `{}` fails them (absent is not null).
 */
export const Nullable = (): PropertyDecorator => ValidateIf((_, value) => value !== null);
