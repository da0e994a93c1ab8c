export * from './free-port';
export * from './redis-server';
export * from './werift-loopback-peer';
export * from './app-process';
export * from './signaling-client';
export * from './unique-name';
export * from './configuration-table';
export * from './within';
