// session stores
export * from './sqlite/sqlite-schema';
export * from './sqlite/sqlite-session-store';
export * from './meilisearch/meili-session-store';
export * from './create-session-store';
// filter
export * from './sqlite/compile-sqlite-filter';
// search off the event loop
export * from './sqlite/search-pool/sqlite-search-pool';
export * from './sqlite/search-pool/sqlite-search-worker';
