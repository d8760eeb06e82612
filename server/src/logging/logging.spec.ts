import { describe, expect, it } from 'vitest';
import { accessLevel, loggedUrl, SLOW_REQUEST_MS } from './logging.js';

describe('loggedUrl', () => {
  it('cuts token query parameters and keeps the rest', () => {
    expect(loggedUrl('/?token=abc.def&x=1')).toBe('/?token=[redacted]&x=1');
    expect(loggedUrl('/admin/queues?a=2&token=s3cret')).toBe('/admin/queues?a=2&token=[redacted]');
    expect(loggedUrl('/api/feed')).toBe('/api/feed');
  });
});

describe('accessLevel', () => {
  it('keeps errors and slow requests above debug, and quick successes at debug', () => {
    expect(accessLevel(200, 3)).toBe('debug');
    expect(accessLevel(204, SLOW_REQUEST_MS - 1)).toBe('debug');
    expect(accessLevel(200, SLOW_REQUEST_MS)).toBe('info');
    expect(accessLevel(404, 1)).toBe('warn');
    expect(accessLevel(503, 1)).toBe('error');
    expect(accessLevel(200, 1, new Error('reset'))).toBe('error');
  });
});
