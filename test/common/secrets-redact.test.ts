import * as assert from 'node:assert/strict';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { redactHeaders, redactText, redactUrl } from '../../tasks/common/http/redact';

describe('common/log/secrets', () => {
  it('registers each line of a multi-line secret with the agent and redacts them', () => {
    const sunk: string[] = [];
    const secrets = new SecretRegistry({ setSecret: (v) => sunk.push(v) });
    secrets.register('-----BEGIN KEY-----\nAAAAsecretline1\r\nBBBBsecretline2\n-----END KEY-----');
    assert.deepEqual(sunk, ['-----BEGIN KEY-----', 'AAAAsecretline1', 'BBBBsecretline2', '-----END KEY-----']);
    assert.equal(secrets.redact('x AAAAsecretline1 y BBBBsecretline2'), 'x *** y ***');
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

  it('masks authorization-like headers only', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer x', Cookie: 'a=b', Accept: 'json' }), {
      Authorization: '***',
      Cookie: '***',
      Accept: 'json',
    });
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
