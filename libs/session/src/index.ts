// folding events into session documents
export * from './fold/classify-candidate';
export * from './fold/session-id';
export * from './fold/session-rules';
export * from './fold/session-fold';
export * from './fold/session-fold-event';
export * from './fold/stream-position';
export * from './fold/apply-session-event';
export * from './fold/render-session-document';
export * from './fold/next-deadline';
export * from './fold/fold-session-events';
// search
export * from './search/session-search';
export * from './search/session-list-filter';
export * from './search/parse-session-sort';
export * from './search/parse-search-time';
// ports
export * from './ports/session-store';
export * from './ports/delegating-session-store';
export * from './ports/session-event-source';
export * from './ports/peer-record-store';
export * from './ports/session-deadlines';
export * from './indexing/session-indexer';
export * from './indexing/indexed-session-events';
export * from './indexing/session-event-patterns';
// filter
export * from './filter/filter-ast';
export * from './filter/facet-value';
export * from './filter/parse-session-filter';
export * from './filter/print-meili-filter';
export * as filterBuilders from './filter/filter-builders';
