export * from './free-port';
export * from './redis-server';
export * from './werift-loopback-peer';
