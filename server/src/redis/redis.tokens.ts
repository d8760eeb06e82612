export const REDIS = Symbol('REDIS');
export const KEY_PREFIX = 'wall:';
export const keys = {
  /** The recent log every instance tails, trimmed to TAIL_KEEP; every event also lives in its day's partition. */
  events: `${KEY_PREFIX}events`,
  /** Before partitions: every event's id. Folded into the month id hashes by the migration. */
  eventIds: `${KEY_PREFIX}event-ids`,
  /** 2 once the log is partitioned by day. */
  logFormat: `${KEY_PREFIX}log-format`,
  logMigrationLock: `${KEY_PREFIX}log-migration-lock`,
  /** The events of one day (their `at` in the report zone), a stream. */
  dayLog: (day: string) => `${KEY_PREFIX}log:${day}`,
  /** The ids (and content fingerprints) of one month's events: the dedupe, bounded by the month. */
  monthIds: (month: string) => `${KEY_PREFIX}ids:${month}`,
  /** Incident id -> its report's `at` (ms), for the month: where a later mark is stored. */
  monthIncidents: (month: string) => `${KEY_PREFIX}incidents:${month}`,
  /** Day keys holding events (score: the day as a number), for reads and the archive. */
  days: `${KEY_PREFIX}days`,
  /** Month -> events stored into it: a closed month's artifact is stale when these moved. */
  monthWrites: `${KEY_PREFIX}month-writes`,
  /** Archived months: their events are in ARCHIVE_DIR, and the feed refuses new ones. */
  archived: `${KEY_PREFIX}archived`,
  /** A closed month's artifact (its reports), a hash of stamp and data. */
  monthArtifact: (month: string) => `${KEY_PREFIX}month:${month}`,
  monthArtifactLock: (month: string) => `${KEY_PREFIX}month-lock:${month}`,
  retentionLock: `${KEY_PREFIX}retention-lock`,
  boardTicket: (hash: string) => `${KEY_PREFIX}board-ticket:${hash}`,
  seq: `${KEY_PREFIX}seq`,
  /** 'real' or 'demo': who wrote this store's events (set by its first batch). */
  storeMode: `${KEY_PREFIX}store-mode`,
  /** Conflicting duplicates (same id, other content) by id: what was sent, and how often. */
  conflicts: `${KEY_PREFIX}conflicts`,
  conflictCounts: `${KEY_PREFIX}conflict-counts`,
  users: `${KEY_PREFIX}users`,
  tokenVersions: `${KEY_PREFIX}token-versions`,
  jwtSecret: `${KEY_PREFIX}jwt-secret`,
  /** Before: the feed token itself; now only its hash is kept (feedTokenHash). */
  feedToken: `${KEY_PREFIX}feed-token`,
  feedTokenHash: `${KEY_PREFIX}feed-token-sha256`,
  reference: `${KEY_PREFIX}reference`,
  checkpoint: `${KEY_PREFIX}checkpoint`,
  sweepLock: `${KEY_PREFIX}sweep-lock`,
  clockStepLock: `${KEY_PREFIX}clock-step-lock`,
  /** The duty roster (值班表), one JSON document. */
  roster: `${KEY_PREFIX}roster`,
  /** The audit log, a stream. */
  audit: `${KEY_PREFIX}audit`,
  loginFailures: (who: string) => `${KEY_PREFIX}login-failures:${who}`,
  revokedToken: (jti: string) => `${KEY_PREFIX}revoked-token:${jti}`,
  enrolCode: (hash: string) => `${KEY_PREFIX}enrol-code:${hash}`,
  loginThrottle: (who: string) => `${KEY_PREFIX}login-throttle:${who}`,
} as const;

/** The alarm store: every alarm by id, the open ones and all by time, and its change channel. */
export const alarmKeys = {
  all: `${KEY_PREFIX}alarms`,
  open: `${KEY_PREFIX}alarms:open`,
  byTime: `${KEY_PREFIX}alarms:by-time`,
  channel: `${KEY_PREFIX}alarms:changes`,
} as const;
