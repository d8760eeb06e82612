export const REDIS = Symbol('REDIS');
export const KEY_PREFIX = 'wall:';
export const keys = {
  events: `${KEY_PREFIX}events`,
  eventIds: `${KEY_PREFIX}event-ids`,
  seq: `${KEY_PREFIX}seq`,
  users: `${KEY_PREFIX}users`,
  jwtSecret: `${KEY_PREFIX}jwt-secret`,
  feedToken: `${KEY_PREFIX}feed-token`,
  reference: `${KEY_PREFIX}reference`,
  loginFailures: (who: string) => `${KEY_PREFIX}login-failures:${who}`,
} as const;
