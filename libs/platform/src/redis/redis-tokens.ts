/** DI tokens of the shared Redis connections. */
export const REDIS_COMMANDS = Symbol('REDIS_COMMANDS');
export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');
