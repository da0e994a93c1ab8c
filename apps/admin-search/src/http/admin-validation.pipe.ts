import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * Validates every admin API input with class-validator (PROTOCOL section 3): unknown fields
 * are refused, and a refusal is one 400 `{statusCode, message, error}` whose message names
 * every bad field.
 */
export function adminValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(describe(errors).join('; ')),
  });
}

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? message.replace(error.property, path) : `${path}: ${message}`));
    return [...own, ...describe(error.children ?? [], path)];
  });
}
