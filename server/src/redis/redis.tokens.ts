export const REDIS = Symbol('REDIS');
export const KEY_PREFIX = 'wall:';
export const keys = {
  events: `${KEY_PREFIX}events`,
  eventIds: `${KEY_PREFIX}event-ids`,
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
