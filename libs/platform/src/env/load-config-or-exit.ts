import { EnvValidationError } from './env-validation.error';
import { validateEnv } from './validate-env';

/**
 * Validates the process environment at start-up and maps it to the app's typed
 * config; a bad value, or a bad combination the mapping finds, stops the
 * process with a message naming the variables.
 */
export function loadConfigOrExit<E extends object, C>(envClass: new () => E, appName: string, toConfig: (env: E) => C): C {
  try {
    return toConfig(validateEnv(envClass, process.env));
  } catch (error) {
    if (!(error instanceof EnvValidationError)) throw error;
    process.stderr.write(`${appName}: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(1);
  }
}
