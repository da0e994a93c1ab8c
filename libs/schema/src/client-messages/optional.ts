import { ValidateIf } from 'class-validator';

/**
 * The field may be absent, but if present it must pass the other constraints.
 * Unlike @IsOptional, `null` is not "absent": `{"to": null}` is a schema error.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
