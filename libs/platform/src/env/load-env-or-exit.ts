import { EnvValidationError } from './env-validation.error';
import { validateEnv } from './validate-env';

/** Validates the process environment at start-up; a bad value stops the process with a clear message. */
export function loadEnvOrExit<T extends object>(envClass: new () => T, appName: string): T {
  try {
    return validateEnv(envClass, process.env);
  } catch (error) {
    if (!(error instanceof EnvValidationError)) throw error;
    process.stderr.write(`${appName}: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(1);
  }
}
