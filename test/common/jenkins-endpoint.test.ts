import * as assert from 'node:assert/strict';
import { readJenkinsEndpoint } from '../../tasks/common/endpoints/jenkins';
import { EndpointError } from '../../tasks/common/errors';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { FakeHost } from '../helpers/fake-host';

const ID = '3c0b9e1a-2222-4b4b-8c8c-0123456789ab';
const TOKEN = '11aa22bb33cc44dd55ee66ff77aa88bb99';

function read(url: string | undefined, scheme: string, parameters: Record<string, string>, data: Record<string, string> = {}) {
  const host = new FakeHost({ endpoints: { [ID]: { url, scheme, parameters, data } } });
  const secrets = new SecretRegistry(host);
  const run = () => readJenkinsEndpoint(host, secrets, ID);
  return { host, secrets, run };
}

describe('common/endpoints/jenkins', () => {
  it('reads URL, user and API token; the token and the Basic header value are secrets', () => {
    const { host, run } = read('https://ci.corp/jenkins', 'UsernamePassword', { username: 'deployer', password: TOKEN }, { acceptUntrustedCerts: 'false' });
    const e = run();
    assert.equal(e.url, 'https://ci.corp/jenkins/', 'the context path keeps a trailing slash');
    assert.equal(e.username, 'deployer');
    assert.equal(e.token, TOKEN);
    assert.equal(e.authorization, `Basic ${Buffer.from(`deployer:${TOKEN}`).toString('base64')}`);
    assert.equal(e.acceptUntrustedCerts, false);
    assert.deepEqual(host.secrets.sort(), [TOKEN, e.authorization.slice(6)].sort());
  });

  it('keeps a trailing slash once and reads acceptUntrustedCerts in any case and spelling', () => {
    const { run } = read('https://ci.corp/jenkins///', 'usernamepassword', { Username: 'u', Password: TOKEN }, { AcceptUntrustedCerts: 'True' });
    const e = run();
    assert.equal(e.url, 'https://ci.corp/jenkins/');
    assert.equal(e.acceptUntrustedCerts, true);
  });

  it('registers the token before it refuses a wrong scheme, so the refusal cannot print it', () => {
    const { host, run } = read('https://ci.corp/', 'Token', { password: TOKEN });
    assert.throws(run, (err: unknown) => err instanceof EndpointError && /scheme 'Token' is not supported.*UsernamePassword/.test(err.message));
    assert.deepEqual(host.secrets, [TOKEN]);
  });

  it('names what is missing or malformed', () => {
    assert.throws(read('https://ci.corp/', 'UsernamePassword', { password: TOKEN }).run, /has no user name/);
    assert.throws(read('https://ci.corp/', 'UsernamePassword', { username: 'u' }).run, /has no password.*API token/);
    assert.throws(read('https://ci.corp/', 'UsernamePassword', { username: 'a:b', password: TOKEN }).run, /contains ':'/);
    assert.throws(read(undefined, 'UsernamePassword', { username: 'u', password: TOKEN }).run, /has no server URL/);
    assert.throws(read('ci.corp/jenkins', 'UsernamePassword', { username: 'u', password: TOKEN }).run, /is not an absolute URL/);
    assert.throws(read('ftp://ci.corp/', 'UsernamePassword', { username: 'u', password: TOKEN }).run, /not an http\(s\) URL/);
    assert.throws(read('https://u:p@ci.corp/', 'UsernamePassword', { username: 'u', password: TOKEN }).run, /carries credentials/);
    assert.throws(read('https://ci.corp/?x=1', 'UsernamePassword', { username: 'u', password: TOKEN }).run, /must not carry a query/);
    assert.throws(() => readJenkinsEndpoint(new FakeHost(), new SecretRegistry(), ID), /not found; is it a Jenkins service connection/);
  });
});
