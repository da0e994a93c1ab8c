/** Every product metric name in one place; labels never carry room, peer or user ids. */
export const METRIC = {
  websocketsActive: 'signaling_websockets_active',
  roomsActive: 'signaling_rooms_active',
  messagesTotal: 'signaling_messages_total',
  iceNegotiationSeconds: 'signaling_ice_negotiation_seconds',
  schemaRejectsTotal: 'signaling_schema_rejects_total',
  redisRoundtripSeconds: 'signaling_redis_roundtrip_seconds',
  fanoutSeconds: 'signaling_fanout_seconds',
  admissionsTotal: 'signaling_admissions_total',
  peersLeftTotal: 'signaling_peers_left_total',
  sessionEventsPending: 'signaling_session_events_pending',
  sessionEventsWrittenTotal: 'signaling_session_events_written_total',
  sessionEventWriteFailuresTotal: 'signaling_session_event_write_failures_total',
  sessionEventsDroppedTotal: 'signaling_session_events_dropped_total',
  nodesReapedTotal: 'signaling_nodes_reaped_total',
  rateLimitedTotal: 'signaling_rate_limited_total',
  rateLimitSyncFailuresTotal: 'signaling_rate_limit_sync_failures_total',
  backpressureClosesTotal: 'signaling_backpressure_closes_total',
  heartbeatTimeoutsTotal: 'signaling_heartbeat_timeouts_total',
  resumeBufferDroppedTotal: 'signaling_resume_buffer_dropped_total',
  probesTotal: 'signaling_probes_total',
  probesActive: 'signaling_probes_active',
  probeConnectSeconds: 'signaling_probe_connect_seconds',
  indexerEventsConsumedTotal: 'indexer_events_consumed_total',
  indexerBatchEntries: 'indexer_batch_entries',
  indexerStoreWriteSeconds: 'indexer_store_write_seconds',
  indexerPendingEntries: 'indexer_pending_entries',
  indexerBacklogEntries: 'indexer_backlog_entries',
  indexerLagSeconds: 'indexer_lag_seconds',
  indexerLagTargetSeconds: 'indexer_lag_target_seconds',
  indexerDeadLettersTotal: 'indexer_dead_letters_total',
  indexerDeadlinesFiredTotal: 'indexer_deadlines_fired_total',
  indexerRetriesTotal: 'indexer_retries_total',
  indexerOwnedShards: 'indexer_owned_shards',
  indexerSessionsDeletedTotal: 'indexer_sessions_deleted_total',
  callSessionsTotal: 'call_sessions_total',
  callSessionFailuresTotal: 'call_session_failures_total',
  callTimeToConnectedSeconds: 'call_time_to_connected_seconds',
  callSessionPathsTotal: 'call_session_paths_total',
  callRttSeconds: 'call_rtt_seconds',
  callPacketLossRatio: 'call_packet_loss_ratio',
  callJitterSeconds: 'call_jitter_seconds',
  adminActionsTotal: 'admin_actions_total',
  adminNodeRoomsDrift: 'admin_node_rooms_drift',
  adminSearchDurationSeconds: 'admin_search_duration_seconds',
  adminSearchQueueDepth: 'admin_search_queue_depth',
  adminSearchesRunning: 'admin_searches_running',
  adminSearchTimeoutsTotal: 'admin_search_timeouts_total',
} as const;

/** A session search: a few ms with an index, up to SEARCH_TIMEOUT_MS (5 s by default) when cancelled. */
export const SEARCH_DURATION_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** PROTOCOL/issue: ICE negotiation from offer to first `connected`, 0.05 s to 10 s. */
export const ICE_NEGOTIATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10];

/** Redis and cross-node latencies live in the sub-millisecond to tens-of-ms range. */
export const REDIS_LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** From an event at the gateway to its session written: the promise is 2 s (INDEX_MAX_LAG_MS). */
export const INDEX_LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30];

/** A store write of one batch: a few ms in SQLite, up to seconds for Meilisearch tasks. */
export const STORE_WRITE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** From offer to connected, as the session document counts it: ICE_TIMEOUT_MS (30 s by default) bounds a success. */
export const TIME_TO_CONNECTED_BUCKETS = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 60];

/** Round-trip times clients report: tens of ms nearby, 150 ms and up is where conversation suffers. */
export const CALL_RTT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2];

/** Packet loss as a ratio; le="0" counts loss-free reports, and past 5% audio and video visibly degrade. */
export const CALL_PACKET_LOSS_BUCKETS = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, 1];

/** Jitter clients report: a few ms on good paths, 30 ms and up strains jitter buffers. */
export const CALL_JITTER_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5];
