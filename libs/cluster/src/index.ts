export * from './redis-keys';
export * from './lua/define-cluster-commands';
export * from './directory/redis-room-directory';
export * from './bus/node-message-codec';
export * from './bus/redis-peer-bus';
export * from './nodes/redis-node-registry';
export * from './events/redis-stream-session-event-sink';
