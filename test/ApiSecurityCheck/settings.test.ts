import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { createThrowawayCertificate } from '../../tasks/ApiSecurityCheck/task/throwaway-certificate';
import { readSettings } from '../../tasks/ApiSecurityCheck/v1/settings';
import { InputError } from '../../tasks/common/errors';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { FakeHost, inputsOf } from '../helpers/fake-host';

function read(inputs: Record<string, string>) {
  const host = new FakeHost({ inputs, variables: { 'System.DefaultWorkingDirectory': '/work/s', 'Agent.TempDirectory': '/agent/tmp' } });
  const settings = readSettings(inputsOf(host), { secrets: new SecretRegistry(host) });
  return { host, settings };
}

function fails(inputs: Record<string, string>, input: string, pattern: RegExp) {
  assert.throws(() => read(inputs), (e: unknown) => e instanceof InputError && e.input === input && pattern.test(e.message));
}

describe('ApiSecurityCheck v1 settings', () => {
  it('defaults: a connection, nothing expected, safe methods only, bounded probes, the gate policy', () => {
    const { settings } = read({ apiConnection: 'c0ffee00-0000-4000-8000-000000000001' });
    assert.deepEqual(settings.target, { kind: 'connection', endpointId: 'c0ffee00-0000-4000-8000-000000000001' });
    assert.equal(settings.expectClientCertificate, false);
    assert.equal(settings.expectSubscriptionKey, false);
    assert.equal(settings.probeUnsafeMethods, false);
    assert.deepEqual([settings.requestTimeoutSeconds, settings.maxRequests, settings.maxConcurrency, settings.certificateExpiryDays], [10, 200, 4, 30]);
    assert.deepEqual([settings.severityThreshold, settings.unknownPolicy], ['low', 'warn']);
    assert.deepEqual(settings.reports, ['sarif'], 'publishSarif adds the SARIF report');
    assert.equal(settings.reportsFolder, '/agent/tmp/ApiSecurityCheck');
  });

  it('reads every input with the gate names for policy and reports', () => {
    const { settings } = read({
      url: 'https://api.contoso.test/orders',
      openApiSpec: 'api/openapi.yaml',
      expectClientCertificate: 'TRUE',
      expectSubscriptionKey: 'false',
      certificateExpiryDays: '14',
      plainHttpUrl: 'http://api.contoso.test:8080/',
      probeUnsafeMethods: 'true',
      maxRequests: '50',
      severityThreshold: 'High',
      unknownPolicy: 'fail',
      attestationFile: 'sec/att.yml',
      skipControls: 'hsts-enabled, no-version-disclosure',
      reports: 'junit,json',
      reportsFolder: 'out/reports',
      publishSarif: 'false',
    });
    assert.deepEqual(settings.target, { kind: 'url', url: 'https://api.contoso.test/orders' });
    assert.equal(settings.openApiSpec, 'api/openapi.yaml');
    assert.equal(settings.expectClientCertificate, true);
    assert.equal(settings.plainHttpUrl, 'http://api.contoso.test:8080/');
    assert.deepEqual(settings.skipControls, ['hsts-enabled', 'no-version-disclosure']);
    assert.deepEqual(settings.reports, ['junit', 'json']);
    assert.equal(settings.reportsFolder, '/work/s/out/reports');
    assert.equal(settings.severityThreshold, 'high');
  });

  it('exactly one target, and URLs of the right scheme', () => {
    fails({}, 'apiConnection', /required: an 'API with client certificate' service connection, or the API's base URL in 'url'/);
    fails({ apiConnection: 'x', url: 'https://a' }, 'url', /not both/);
    fails({ url: 'http://api.contoso.test' }, 'url', /expected an https URL.*probes http:\/\/ by itself/);
    fails({ url: 'api.contoso.test' }, 'url', /expected an absolute https URL/);
    fails({ url: 'https://a', plainHttpUrl: 'https://a' }, 'plainHttpUrl', /expected an http URL/);
  });

  it('bounds and enums are strict and name the input', () => {
    fails({ url: 'https://a', maxRequests: '5' }, 'maxRequests', /from 10 to 5000/);
    fails({ url: 'https://a', maxConcurrency: '64' }, 'maxConcurrency', /from 1 to 16/);
    fails({ url: 'https://a', requestTimeoutSeconds: '1e3' }, 'requestTimeoutSeconds', /whole number/);
    fails({ url: 'https://a', unknownPolicy: 'ignore' }, 'unknownPolicy', /fail, warn, pass/);
    fails({ url: 'https://a', reports: 'sarif,pdf' }, 'reports', /got 'pdf'/);
    fails({ url: 'https://a', expectSubscriptionKey: 'yes' }, 'expectSubscriptionKey', /true or false/);
  });

  it('a key in the URL query is a secret before anything prints it, and the URL is read quietly', () => {
    const { host } = read({ url: 'https://api.contoso.test/orders?subscription-key=0123456789abcdef' });
    assert.ok(host.secrets.includes('0123456789abcdef'));
    assert.ok(host.secretInputsRead.includes('url'));
  });
});

describe('ApiSecurityCheck throwaway client certificate', () => {
  it('is a valid self-signed X.509 certificate for the given common name, with a fresh key each time', () => {
    const a = createThrowawayCertificate('pipeline-client');
    const b = createThrowawayCertificate('pipeline-client');
    const x = new crypto.X509Certificate(a.certPem);
    assert.equal(x.subject, 'CN=pipeline-client');
    assert.equal(x.issuer, 'CN=pipeline-client');
    assert.ok(x.verify(x.publicKey), 'self-signed');
    assert.ok(x.checkPrivateKey(crypto.createPrivateKey(a.keyPem)));
    assert.ok(new Date(x.validTo).getTime() > Date.now());
    assert.notEqual(a.keyPem, b.keyPem);
    assert.notEqual(x.serialNumber, new crypto.X509Certificate(b.certPem).serialNumber);
  });

  it('encodes every serial number as a minimal positive DER INTEGER, whatever the random bytes', () => {
    // A serial starting with a zero byte was non-minimal DER ("asn1 illegal padding"), 1 run in 256.
    for (const fill of [0x00, 0x80, 0xff]) {
      const c = createThrowawayCertificate('pipeline-client', new Date(), (n) => Buffer.alloc(n, fill));
      const x = new crypto.X509Certificate(c.certPem);
      assert.match(x.serialNumber, /^[4-7][0-9A-F]{31}$/);
    }
  });
});
