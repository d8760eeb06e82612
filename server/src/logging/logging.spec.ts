import { describe, expect, it } from 'vitest';
import { loggedUrl } from './logging.js';

describe('loggedUrl', () => {
  it('cuts token query parameters and keeps the rest', () => {
    expect(loggedUrl('/?token=abc.def&x=1')).toBe('/?token=[redacted]&x=1');
    expect(loggedUrl('/admin/queues?a=2&token=s3cret')).toBe('/admin/queues?a=2&token=[redacted]');
    expect(loggedUrl('/api/feed')).toBe('/api/feed');
  });
});
