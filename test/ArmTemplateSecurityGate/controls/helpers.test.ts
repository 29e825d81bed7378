import * as assert from 'node:assert/strict';
import { compareVersions, credentialIn, hasLog4ShellRule, isAzureServicesRule, isUniversal, parseIpRange, parseVersion, rangeSize } from '../../../tasks/ArmTemplateSecurityGate/core/controls/helpers';
import sqlFirewallNoAnyIp from '../../../tasks/ArmTemplateSecurityGate/core/controls/sql-firewall-no-any-ip';
import type { EvaluatedResource } from '../../../tasks/ArmTemplateSecurityGate/core/model';

describe('controls/helpers: parseVersion', () => {
  const versions: Array<[unknown, number[]]> = [
    ['1.2', [1, 2]],
    ['TLS1_2', [1, 2]],
    ['Tls1.3', [1, 3]],
    ['v4.0', [4, 0]],
    ['1.29.2', [1, 29, 2]],
    [' 5.1 ', [5, 1]],
    [1.2, [1, 2]],
  ];
  for (const [input, expected] of versions) {
    it(`reads ${JSON.stringify(input)} as ${expected.join('.')}`, () => assert.deepEqual(parseVersion(input as string), expected));
  }

  for (const input of ['S3cr3t-Value-XYZ', 'latest', 'TLS', '', '1.2-preview', 'version 2 of 3']) {
    it(`does not read ${JSON.stringify(input)} as a version`, () => assert.equal(parseVersion(input), undefined));
  }

  it('compares component by component', () => {
    assert.equal(compareVersions([1, 10], [1, 9]), 1);
    assert.equal(compareVersions([1, 2], [1, 2, 0]), 0);
    assert.equal(compareVersions([1, 1], [1, 2]), -1);
  });
});

describe('controls/helpers: firewall ranges through the common IP module', () => {
  const storage = (props: Record<string, unknown>): EvaluatedResource => {
    const loc = { file: 't.json', line: 3, column: 1 };
    return { type: 'Microsoft.Sql/servers/firewallRules', name: 'srv/rule', body: { properties: props } as EvaluatedResource['body'], location: loc, locate: () => loc, deploymentPath: [] };
  };
  const judge = (start: string, end: string) => {
    const ctx = { template: { file: 't.json', resources: [], parameters: [], outputs: [], diagnostics: [] }, related: () => [] };
    return sqlFirewallNoAnyIp.kind === 'resource' ? sqlFirewallNoAnyIp.check(storage({ startIpAddress: start, endIpAddress: end }), ctx)[0] : assert.fail();
  };

  it('checkMatched (what the scan calls, having matched type and deployment) answers as check for such a resource; check still refuses the others', () => {
    const ctx = { template: { file: 't.json', resources: [], parameters: [], outputs: [], diagnostics: [] }, related: () => [] };
    if (sqlFirewallNoAnyIp.kind !== 'resource' || !sqlFirewallNoAnyIp.checkMatched) return assert.fail('a built-in resource control has checkMatched');
    for (const [start, end] of [['0.0.0.0', '255.255.255.255'], ['10.0.0.1', '10.0.0.9'], ['010.0.0.1', '010.0.0.9']]) {
      const r = storage({ startIpAddress: start, endIpAddress: end });
      assert.deepEqual(sqlFirewallNoAnyIp.checkMatched(r, ctx), sqlFirewallNoAnyIp.check(r, ctx));
      assert.equal(sqlFirewallNoAnyIp.check(r, ctx).length, 1);
    }
    const other = storage({ startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' });
    assert.deepEqual(sqlFirewallNoAnyIp.check({ ...other, existing: true }, ctx), []);
    assert.deepEqual(sqlFirewallNoAnyIp.check({ ...other, type: 'Microsoft.Storage/storageAccounts' }, ctx), []);
  });

  it('reads ranges in every form a template writes, IPv4 and IPv6', () => {
    assert.deepEqual(parseIpRange(' 10.0.0.0/24 '), { family: 4, first: 0x0a000000n, last: 0x0a0000ffn });
    assert.deepEqual(parseIpRange('*'), { family: 4, first: 0n, last: 0xffffffffn });
    assert.ok(isUniversal(parseIpRange('0.0.0.0-255.255.255.255')!));
    assert.ok(isUniversal(parseIpRange('::/0')!));
    assert.ok(isAzureServicesRule(parseIpRange('0.0.0.0')!));
    assert.equal(rangeSize(parseIpRange('10.0.0.0/28')!), 16n);
  });

  it('a form parsers read differently (010.0.0.1) is neither valid nor guessed: the rule is unknown', () => {
    assert.equal(parseIpRange('010.0.0.1'), undefined);
    const r = judge('010.0.0.1', '010.0.0.9');
    assert.equal(r.outcome, 'unknown');
    assert.match(r.message, /010\.0\.0\.1.*read differently/);
  });

  it('judges IPv6 and refuses garbage', () => {
    assert.equal(judge('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff').outcome, 'fail');
    assert.equal(judge('2001:db8::1', '2001:db8::9').outcome, 'pass');
    assert.equal(judge('10.0.0.9', '10.0.0.1').outcome, 'fail');
    assert.equal(judge('10.0.0.1', '2001:db8::1').outcome, 'fail');
    assert.equal(judge('0.0.0.0', '255.255.255.255').outcome, 'fail');
    assert.equal(judge('10.0.0.1', '10.0.0.9').outcome, 'pass');
  });
});

describe('controls/helpers: credentialIn (VM custom data)', () => {
  const b64 = (t: string): string => Buffer.from(t, 'utf8').toString('base64');
  const found: Array<[string, string]> = [
    ['connection string', "export CS='DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abcdEFGH1234=='"],
    ['SAS token', 'curl "https://a.blob.core.windows.net/c/f?sv=2022-11-02&sig=AbCdEfGhIjKlMnOpQrStUv%3D"'],
    ['private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['password assignment', 'DB_PASSWORD=Hunter2Hunter2'],
    ['storage key', `key ${'A'.repeat(86)}== end`],
  ];
  for (const [what, text] of found) {
    it(`finds a ${what}, as text and base64-encoded`, () => {
      assert.ok(credentialIn(text), text);
      assert.ok(credentialIn(b64(text)), `base64 of ${text}`);
    });
  }
  for (const text of ['#cloud-config\npackages:\n  - nginx\n', 'echo $PASSWORD > /dev/null', 'password: ${ADMIN_PASSWORD}', '0000-0000-0000-0000-000000000000']) {
    it(`finds nothing in ${JSON.stringify(text)}`, () => {
      assert.equal(credentialIn(text), undefined);
      assert.equal(credentialIn(b64(text)), undefined);
    });
  }
});

describe('controls/helpers: hasLog4ShellRule (CRS rule 944240)', () => {
  it('is in OWASP CRS 3.1 and later and in every Microsoft Default Rule Set', () => {
    assert.equal(hasLog4ShellRule('OWASP', '3.1'), true);
    assert.equal(hasLog4ShellRule('OWASP', '3.2'), true);
    assert.equal(hasLog4ShellRule(undefined, '3.2'), true);
    assert.equal(hasLog4ShellRule('Microsoft_DefaultRuleSet', '2.1'), true);
  });
  it('is not in CRS 3.0 or 2.2.9, nor in the bot manager rule set', () => {
    assert.equal(hasLog4ShellRule('OWASP', '3.0'), false);
    assert.equal(hasLog4ShellRule('OWASP', '2.2.9'), false);
    assert.equal(hasLog4ShellRule('Microsoft_BotManagerRuleSet', '1.0'), false);
    assert.equal(hasLog4ShellRule('OWASP', undefined), false);
  });
});
