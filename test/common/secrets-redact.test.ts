import * as assert from 'node:assert/strict';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { redactHeaders, redactText, redactUrl, urlSecrets } from '../../tasks/common/http/redact';

describe('common/log/secrets', () => {
  it('registers each line of a multi-line secret with the agent and redacts them', () => {
    const sunk: string[] = [];
    const secrets = new SecretRegistry({ setSecret: (v) => sunk.push(v) });
    secrets.register('-----BEGIN KEY-----\nAAAAsecretline1\r\nBBBBsecretline2\n-----END KEY-----');
    assert.deepEqual(sunk, ['-----BEGIN KEY-----', 'AAAAsecretline1', 'BBBBsecretline2', '-----END KEY-----']);
    assert.equal(secrets.redact('x AAAAsecretline1 y BBBBsecretline2'), 'x *** y ***');
  });

  it('redacts overlapping secrets longest first, whatever the order they were registered in', () => {
    for (const order of [['abcd', 'abcdefgh1234'], ['abcdefgh1234', 'abcd']]) {
      const secrets = new SecretRegistry();
      for (const v of order) secrets.register(v);
      assert.equal(secrets.redact('token=abcdefgh1234 pin=abcd'), 'token=*** pin=***', order.join(' then '));
    }
    const secrets = new SecretRegistry();
    for (const v of ['key1', 'key1key2', 'xkey1key2x', 'key2']) secrets.register(v);
    assert.equal(secrets.redact('a=xkey1key2x b=key1key2 c=key2key1'), 'a=*** b=*** c=******');
  });

  it('ignores empty and very short values and registers a value once', () => {
    const sunk: string[] = [];
    const secrets = new SecretRegistry({ setSecret: (v) => sunk.push(v) });
    secrets.register(undefined);
    secrets.register('');
    secrets.register('ab');
    secrets.register('s3cr3t-value');
    secrets.register('s3cr3t-value');
    assert.deepEqual(sunk, ['s3cr3t-value']);
  });
});

describe('common/http/redact', () => {
  it('replaces secret query values and user info in URLs', () => {
    const out = redactUrl('https://user:pw@host.example/path?sig=abc&sv=2020&name=ok&client_secret=xyz');
    assert.ok(!out.includes('abc') && !out.includes('xyz') && !out.includes(':pw@'), out);
    assert.ok(out.includes('name=ok'));
  });

  it("redacts APIM's subscription-key and api-key query parameters", () => {
    const out = redactUrl('https://gw.example/orders/spec?subscription-key=0123456789abcdef&api-key=k3y-value&format=json');
    assert.ok(!out.includes('0123456789abcdef') && !out.includes('k3y-value'), out);
    assert.ok(out.includes('format=json'), out);
  });

  it('finds the credentials inside a URL, as written and decoded, and not the SAS metadata', () => {
    assert.deepEqual(
      urlSecrets('https://u:p%40ss-word@st.example/c/a.yaml?sv=2022-11-02&se=2030-01-01&sig=AbC%2Bd%2Fe%3D&code=fn-key&name=ok').sort(),
      ['AbC%2Bd%2Fe%3D', 'AbC+d/e=', 'fn-key', 'p%40ss-word', 'p@ss-word'].sort(),
    );
    assert.deepEqual(urlSecrets('https://st.example/a.yaml'), []);
    assert.deepEqual(urlSecrets('not a url?sig=abc'), []);
  });

  it('masks authorization-like headers only', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer x', Cookie: 'a=b', Accept: 'json' }), {
      Authorization: '***',
      Cookie: '***',
      Accept: 'json',
    });
    // A header a server named __proto__ is kept as a header, not made the result's prototype.
    const odd = redactHeaders(JSON.parse('{"__proto__":"x","constructor":"y","Authorization":"Bearer z"}') as Record<string, unknown>);
    assert.deepEqual(Object.keys(odd), ['__proto__', 'constructor', 'Authorization']);
    assert.equal(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value, 'x');
    assert.equal(odd.Authorization, '***');
  });

  it('redacts bearer tokens, registered secrets and URLs inside free text', () => {
    const secrets = new SecretRegistry();
    secrets.register('hunter2-password');
    const out = redactText(
      'failed with Bearer eyJhbGciOi.payload.sig at https://h/x?token=abcdef and password hunter2-password',
      secrets,
    );
    assert.ok(!out.includes('eyJhbGciOi'), out);
    assert.ok(!out.includes('abcdef'), out);
    assert.ok(!out.includes('hunter2-password'), out);
  });
});
