import * as assert from 'node:assert/strict';
import { isRetriable, retryDelayMs } from '../../tasks/common/http/retry';

const options = { retries: 4, baseDelayMs: 100, maxDelayMs: 5000 };

describe('common/http/retry', () => {
  const cases: Array<[string, number | undefined, string | undefined, boolean]> = [
    ['GET', 429, undefined, true],
    ['GET', 503, undefined, true],
    ['GET', 500, undefined, true],
    ['GET', 408, undefined, true],
    ['PUT', 502, undefined, true],
    ['DELETE', 504, undefined, true],
    ['GET', 404, undefined, false],
    ['GET', 401, undefined, false],
    ['POST', 503, undefined, false],
    ['PATCH', 429, undefined, false],
    ['GET', undefined, 'ECONNRESET', true],
    ['POST', undefined, 'ECONNRESET', false],
    ['GET', undefined, 'ERR_TLS_CERT_ALTNAME_INVALID', false],
  ];
  for (const [method, status, code, expected] of cases) {
    it(`${method} ${status ?? code} is ${expected ? '' : 'not '}retried`, () => {
      assert.equal(isRetriable(method, status, code), expected);
    });
  }

  it('honours Retry-After in seconds and as an HTTP date, capped', () => {
    assert.equal(retryDelayMs(1, '2', options), 2000);
    assert.equal(retryDelayMs(1, '600', options), 5000);
    const now = Date.parse('2026-11-23T10:00:00Z');
    assert.equal(retryDelayMs(1, 'Mon, 23 Nov 2026 10:00:03 GMT', options, () => now), 3000);
  });

  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    assert.equal(retryDelayMs(1, undefined, options, Date.now, () => 0), 50);
    assert.equal(retryDelayMs(1, undefined, options, Date.now, () => 1), 100);
    assert.equal(retryDelayMs(3, undefined, options, Date.now, () => 1), 400);
    assert.equal(retryDelayMs(10, undefined, options, Date.now, () => 1), 5000);
  });
});
