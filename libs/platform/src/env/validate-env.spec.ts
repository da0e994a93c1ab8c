import { IsArray, IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { CommonEnv, NODE_ID_PATTERN } from './common-env';
import { ToBoolean, ToInt, ToList } from './env-transforms';
import { EnvValidationError } from './env-validation.error';
import { validateEnv } from './validate-env';

class SampleEnv {
  @ToInt()
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  WORKERS: number = 4;

  @ToBoolean()
  @IsBoolean({ message: 'must be true or false' })
  VERBOSE: boolean = false;

  @ToList()
  @IsArray()
  @IsString({ each: true })
  TAGS: string[] = [];

  @IsOptional()
  @IsString()
  LABEL?: string = undefined;
}

function validationError(run: () => unknown): EnvValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvValidationError) return error;
    throw error;
  }
  throw new Error('expected an EnvValidationError');
}

describe(validateEnv.name, () => {
  describe('with a sample env class', () => {
    it('applies the class initializers as defaults', () => {
      expect({ ...validateEnv(SampleEnv, {}) }).toEqual({ WORKERS: 4, VERBOSE: false, TAGS: [], LABEL: undefined });
    });

    it('returns an instance of the env class', () => {
      expect(validateEnv(SampleEnv, {})).toBeInstanceOf(SampleEnv);
    });

    it('treats an empty string as unset', () => {
      expect(validateEnv(SampleEnv, { WORKERS: '', LABEL: '' })).toMatchObject({ WORKERS: 4, LABEL: undefined });
    });

    it('parses integers', () => {
      expect(validateEnv(SampleEnv, { WORKERS: '16' }).WORKERS).toBe(16);
    });

    it('parses an integer with surrounding spaces', () => {
      expect(validateEnv(SampleEnv, { WORKERS: ' 8 ' }).WORKERS).toBe(8);
    });

    it.each(['1.5', '1e3', '0x10', 'eight'])('refuses the integer "%s"', (value) => {
      const [problem, ...others] = validationError(() => validateEnv(SampleEnv, { WORKERS: value })).problems;

      expect(others).toEqual([]);
      expect(problem).toMatch(/^WORKERS: .*must be an integer/);
    });

    it.each([
      ['true', true],
      ['TRUE', true],
      [' false ', false],
      ['False', false],
    ])('parses the boolean "%s"', (value, expected) => {
      expect(validateEnv(SampleEnv, { VERBOSE: value }).VERBOSE).toBe(expected);
    });

    it.each(['yes', '1', 'on'])('refuses the boolean "%s"', (value) => {
      expect(validationError(() => validateEnv(SampleEnv, { VERBOSE: value })).problems).toEqual(['VERBOSE: must be true or false']);
    });

    it('parses a comma-separated list, trimming items and dropping empty ones', () => {
      expect(validateEnv(SampleEnv, { TAGS: 'a, b,,c ,' }).TAGS).toEqual(['a', 'b', 'c']);
    });

    it('parses a list of one item', () => {
      expect(validateEnv(SampleEnv, { TAGS: 'solo' }).TAGS).toEqual(['solo']);
    });

    it('ignores unknown variables', () => {
      expect(validateEnv(SampleEnv, { PATH: '/usr/bin', UNRELATED: 'x' })).not.toHaveProperty('UNRELATED');
    });

    it('names every bad variable', () => {
      const error = validationError(() => validateEnv(SampleEnv, { WORKERS: '0', VERBOSE: 'maybe' }));

      expect(error.problems).toEqual(['WORKERS: must be at least 1', 'VERBOSE: must be true or false']);
    });

    it('starts its message with a summary and lists each problem', () => {
      const error = validationError(() => validateEnv(SampleEnv, { WORKERS: '0' }));

      expect(error.message).toBe('Invalid configuration:\n  - WORKERS: must be at least 1');
    });
  });

  describe('with CommonEnv', () => {
    it('applies the defaults', () => {
      expect(validateEnv(CommonEnv, {})).toMatchObject({
        PORT: 8080,
        HOST: '0.0.0.0',
        REDIS_URL: 'redis://127.0.0.1:6379',
        LOG_LEVEL: 'info',
      });
    });

    it('defaults NODE_ID to a valid node id', () => {
      expect(validateEnv(CommonEnv, {}).NODE_ID).toMatch(NODE_ID_PATTERN);
    });

    it('gives each process its own default NODE_ID', () => {
      expect(validateEnv(CommonEnv, {}).NODE_ID).not.toBe(validateEnv(CommonEnv, {}).NODE_ID);
    });

    it('reads the variables that are set', () => {
      const env = validateEnv(CommonEnv, {
        PORT: '9000',
        HOST: '127.0.0.1',
        REDIS_URL: 'rediss://cache.internal:6380/2',
        NODE_ID: 'gw-1',
        LOG_LEVEL: 'debug',
      });

      expect({ ...env }).toEqual({
        PORT: 9000,
        HOST: '127.0.0.1',
        REDIS_URL: 'rediss://cache.internal:6380/2',
        NODE_ID: 'gw-1',
        LOG_LEVEL: 'debug',
      });
    });

    it('treats an empty PORT as unset', () => {
      expect(validateEnv(CommonEnv, { PORT: '' }).PORT).toBe(8080);
    });

    it.each(['abc', '0', '65536', '-1', '80.5'])('refuses PORT=%s naming PORT', (value) => {
      expect(validationError(() => validateEnv(CommonEnv, { PORT: value })).problems).toEqual([
        'PORT: must be an integer from 1 to 65535',
      ]);
    });

    it('never prints the bad value', () => {
      const error = validationError(() => validateEnv(CommonEnv, { PORT: 'supersecret123', REDIS_URL: 'http://:hunter2secret@x' }));

      expect(error.message).toContain('PORT');
      expect(error.message).toContain('REDIS_URL');
      expect(error.message).not.toContain('supersecret123');
      expect(error.message).not.toContain('hunter2secret');
    });

    it('refuses a REDIS_URL that is not redis:// or rediss://', () => {
      expect(validationError(() => validateEnv(CommonEnv, { REDIS_URL: 'localhost:6379' })).problems).toEqual([
        'REDIS_URL: must be a redis:// or rediss:// URL',
      ]);
    });

    it('refuses a NODE_ID outside the safe alphabet', () => {
      expect(validationError(() => validateEnv(CommonEnv, { NODE_ID: 'node 1' })).problems).toEqual([
        'NODE_ID: must be 1 to 128 of A-Z a-z 0-9 _ . : @ -',
      ]);
    });

    it('refuses an unknown LOG_LEVEL', () => {
      expect(validationError(() => validateEnv(CommonEnv, { LOG_LEVEL: 'verbose' })).problems).toEqual([
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      ]);
    });
  });
});
