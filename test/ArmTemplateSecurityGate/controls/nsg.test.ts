/**
 * Table tests of the NSG evaluation (controls/helpers/nsg.ts): priority order, deny before allow,
 * port ranges and lists, '*', Internet, 0.0.0.0/0, service tags, unknown values; and which resource
 * answers for a rule (the NSG or its securityRules resource).
 */
import * as assert from 'node:assert/strict';
import {
  inboundFromInternet, inboundSpans, inlineRules, internetExposureRule, readPortRange, ResourceView, type NsgRule, type Traffic,
} from '../../../tasks/ArmTemplateSecurityGate/core/controls/helpers';
import { createCheckContext } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { UnknownValue, type CheckResult, type EvaluatedResource, type EvaluatedValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';

const at = { file: 't.json', line: 1, column: 1 };
const U = (reason: string) => new UnknownValue(reason, at);

function resource(type: string, name: string, body: Record<string, EvaluatedValue>, existing = false): EvaluatedResource {
  return { type, name, body, location: at, locate: () => at, deploymentPath: [], existing };
}

const nsgOf = (rules: EvaluatedValue[]) => resource('Microsoft.Network/networkSecurityGroups', 'nsg', { properties: { securityRules: rules } });
const rule = (name: string, props: Record<string, EvaluatedValue>): EvaluatedValue => ({
  name,
  properties: { direction: 'Inbound', protocol: 'Tcp', access: 'Allow', sourcePortRange: '*', destinationAddressPrefix: '*', ...props },
});

function verdict(rules: EvaluatedValue[], t: Traffic = { protocol: 'Tcp', port: 22 }): string {
  const v = inboundFromInternet(inlineRules(nsgOf(rules)) as NsgRule[], t);
  if (v.state === 'open') return `open:${v.rule.name}`;
  if (v.state === 'closed') return `closed:${v.rule?.name ?? 'default'}`;
  return `unknown:${v.rules.map((r) => r.name).join('+')}`;
}

describe('controls/helpers/nsg: ports', () => {
  const cases: Array<[EvaluatedValue, { first: number; last: number } | undefined]> = [
    ['*', { first: 0, last: 65535 }], ['22', { first: 22, last: 22 }], [' 1000-2000 ', { first: 1000, last: 2000 }], [3389, { first: 3389, last: 3389 }],
    ['2000-1000', undefined], ['70000', undefined], ['ssh', undefined], [true, undefined],
  ];
  for (const [input, expected] of cases) it(`reads ${JSON.stringify(input)}`, () => assert.deepEqual(readPortRange(input), expected));
});

describe('controls/helpers/nsg: the first matching rule decides', () => {
  const table: Array<[string, EvaluatedValue[], string, Traffic?]> = [
    ['allow from * opens', [rule('a', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'open:a'],
    ['the Internet tag is the Internet', [rule('a', { priority: 100, sourceAddressPrefix: 'Internet', destinationPortRange: '22' })], 'open:a'],
    ['0.0.0.0/0 is the Internet', [rule('a', { priority: 100, sourceAddressPrefix: '0.0.0.0/0', destinationPortRange: '22' })], 'open:a'],
    ['::/0 is the Internet', [rule('a', { priority: 100, sourceAddressPrefix: '::/0', destinationPortRange: '22' })], 'open:a'],
    ['Any is the Internet', [rule('a', { priority: 100, sourceAddressPrefix: 'Any', destinationPortRange: '22' })], 'open:a'],
    ['prefixes that together cover 0.0.0.0/0', [rule('a', { priority: 100, sourceAddressPrefixes: ['128.0.0.0/1', '0.0.0.0/1'], destinationPortRange: '22' })], 'open:a'],
    ['AzureCloud is anyone who rents an Azure address', [rule('a', { priority: 100, sourceAddressPrefix: 'AzureCloud.WestEurope', destinationPortRange: '22' })], 'open:a'],
    ['a private range is not the Internet', [rule('a', { priority: 100, sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: '22' })], 'closed:default'],
    ['VirtualNetwork is not the Internet', [rule('a', { priority: 100, sourceAddressPrefix: 'VirtualNetwork', destinationPortRange: '22' })], 'closed:default'],
    ['application security groups are VMs of the network', [rule('a', { priority: 100, sourceApplicationSecurityGroups: [{ id: 'asg' }], destinationPortRange: '22' })], 'closed:default'],
    ['no rule: the default DenyAllInBound', [], 'closed:default'],
    ['deny for the Internet first closes the port', [rule('deny', { priority: 100, access: 'Deny', sourceAddressPrefix: 'Internet', destinationPortRange: '*', protocol: '*' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'closed:deny'],
    ['priority, not declaration order', [rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' }), rule('deny', { priority: 100, access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '22' })], 'closed:deny'],
    ['a priority written as text', [rule('a', { priority: '200', sourceAddressPrefix: '*', destinationPortRange: '22' }), rule('deny', { priority: '150', access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '22' })], 'closed:deny'],
    ['a deny for some addresses does not close it', [rule('deny', { priority: 100, access: 'Deny', sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: '*' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'open:a'],
    ['a deny for AzureCloud does not close it for the rest', [rule('deny', { priority: 100, access: 'Deny', sourceAddressPrefix: 'AzureCloud', destinationPortRange: '*' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'open:a'],
    ['a deny for another port does not close it', [rule('deny', { priority: 100, access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '23-3388' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '*' })], 'open:a'],
    ['a deny for UDP does not close TCP', [rule('deny', { priority: 100, access: 'Deny', protocol: 'Udp', sourceAddressPrefix: '*', destinationPortRange: '22' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'open:a'],
    ['a range holding the port', [rule('a', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '20-30' })], 'open:a'],
    ['a range beside the port', [rule('a', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '23-30' })], 'closed:default'],
    ['a port list', [rule('a', { priority: 100, sourceAddressPrefix: '*', destinationPortRanges: ['80', '443', '22'] })], 'open:a'],
    ['protocol *', [rule('a', { priority: 100, protocol: '*', sourceAddressPrefix: '*', destinationPortRange: '22' })], 'open:a'],
    ['UDP does not open TCP', [rule('a', { priority: 100, protocol: 'Udp', sourceAddressPrefix: '*', destinationPortRange: '22' })], 'closed:default'],
    ['UDP traffic', [rule('a', { priority: 100, protocol: 'Udp', sourceAddressPrefix: '*', destinationPortRange: '3389' })], 'open:a', { protocol: 'Udp', port: 3389 }],
    ['outbound rules do not open inbound ports', [rule('a', { priority: 100, direction: 'Outbound', sourceAddressPrefix: '*', destinationPortRange: '22' })], 'closed:default'],
    ['every port: only a rule for all of them', [rule('a', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '1-1024' })], 'closed:default', { protocol: 'Tcp', port: 'all' }],
    ['every port: 0-65535', [rule('a', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '0-65535' })], 'open:a', { protocol: 'Tcp', port: 'all' }],
    ['every port: a deny for one port leaves the rest open', [rule('deny', { priority: 100, access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '22' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '*' })], 'open:a', { protocol: 'Tcp', port: 'all' }],
  ];
  for (const [name, rules, expected, t] of table) it(`${name} → ${expected}`, () => assert.equal(verdict(rules, t), expected));
});

describe('controls/helpers/nsg: values known only at deployment', () => {
  const table: Array<[string, EvaluatedValue[], string]> = [
    ['an unknown source on an allow before a known deny', [rule('u', { priority: 100, sourceAddressPrefix: U('p') , destinationPortRange: '22' }), rule('deny', { priority: 200, access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '*' })], 'unknown:u+deny'],
    ['an unknown source on a deny before a known allow', [rule('u', { priority: 100, access: 'Deny', sourceAddressPrefix: U('p'), destinationPortRange: '22' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'unknown:u+a'],
    ['an unknown source on an allow before a known allow changes nothing', [rule('u', { priority: 100, sourceAddressPrefix: U('p'), destinationPortRange: '22' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'open:a'],
    ['an unknown port on a rule that cannot match anyway', [rule('u', { priority: 100, sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: U('p') })], 'closed:default'],
    ['an unknown access', [rule('u', { priority: 100, access: U('p'), sourceAddressPrefix: '*', destinationPortRange: '22' })], 'unknown:u'],
    ['an unknown priority of a deny beside a known allow', [rule('u', { priority: U('p'), access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '22' }), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'unknown:u+a'],
    ['a whole rule unknown', [U('the rule'), rule('a', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' })], 'unknown:[0]+a'],
  ];
  for (const [name, rules, expected] of table) it(`${name} → ${expected}`, () => assert.equal(verdict(rules), expected));
});

describe('controls/helpers/nsg: each resource answers for the rules it declares', () => {
  const ssh = internetExposureRule([{ protocol: 'Tcp', port: 22 }], 'SSH (TCP 22)');
  const template = (resources: EvaluatedResource[]) => ({ file: 't.json', resources, parameters: [], outputs: [], diagnostics: [] });
  const run = (resources: EvaluatedResource[], subject: EvaluatedResource): CheckResult => {
    const out = ssh(new ResourceView(subject), createCheckContext(template(resources)));
    return (Array.isArray(out) ? out[0] : out)!;
  };
  const childRule = (name: string, props: Record<string, EvaluatedValue>) =>
    resource('Microsoft.Network/networkSecurityGroups/securityRules', name, { properties: { direction: 'Inbound', protocol: 'Tcp', access: 'Allow', ...props } });

  it('a separate rule that opens the port fails itself; its NSG passes and says where', () => {
    const nsg = nsgOf([rule('deny-db', { priority: 300, access: 'Deny', sourceAddressPrefix: '*', destinationPortRange: '1433' })]);
    const child = childRule('nsg/ssh', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '22' });
    const r1 = run([nsg, child], nsg);
    assert.equal(r1.outcome, 'pass');
    assert.match(r1.message, /declared by Microsoft\.Network\/networkSecurityGroups\/securityRules 'nsg\/ssh' and reported there/);
    assert.equal(run([nsg, child], child).outcome, 'fail');
  });

  it('a separate rule shadowed by a deny of its NSG passes', () => {
    const nsg = nsgOf([rule('deny-all', { priority: 100, access: 'Deny', protocol: '*', sourceAddressPrefix: 'Internet', destinationPortRange: '*' })]);
    const child = childRule('nsg/ssh', { priority: 200, sourceAddressPrefix: '*', destinationPortRange: '22' });
    const r = run([nsg, child], child);
    assert.equal(r.outcome, 'pass');
    assert.match(r.message, /denied by rule 'deny-all'/);
  });

  it('a separate rule of an NSG declared elsewhere is judged on its own', () => {
    const child = childRule('other/ssh', { priority: 200, sourceAddressPrefix: 'Internet', destinationPortRange: '22' });
    assert.equal(run([child], child).outcome, 'fail');
    const existing = resource('Microsoft.Network/networkSecurityGroups', 'other', {}, true);
    assert.equal(run([existing, child], child).outcome, 'fail');
  });

  it('an NSG whose rule list is unknown is unknown', () => {
    const nsg = resource('Microsoft.Network/networkSecurityGroups', 'nsg', { properties: { securityRules: U('fixture-reason') } });
    const r = run([nsg], nsg);
    assert.equal(r.outcome, 'unknown');
    assert.match(r.message, /fixture-reason/);
  });
});

describe('controls/helpers/nsg: every port of a protocol, as spans', () => {
  const spans = (rules: EvaluatedValue[]) =>
    inboundSpans(inlineRules(nsgOf(rules)) as NsgRule[], 'Udp').map((s) => `${s.first}-${s.last}:${s.verdict.state}${s.verdict.state !== 'unknown' && s.verdict.rule ? `:${s.verdict.rule.name}` : ''}`);
  it('no rule: every port closed by the default deny', () => assert.deepEqual(spans([]), ['0-65535:closed']));
  it('a deny carves a hole into an allow for every port', () => {
    const rules = [rule('deny', { priority: 100, access: 'Deny', protocol: 'Udp', sourceAddressPrefix: 'Internet', destinationPortRange: '1000-1999' }), rule('all', { priority: 200, protocol: '*', sourceAddressPrefix: '*', destinationPortRange: '*' })];
    assert.deepEqual(spans(rules), ['0-999:open:all', '1000-1999:closed:deny', '2000-65535:open:all']);
  });
  it('a lower-priority deny does not close what an allow opened', () => {
    const rules = [rule('allow', { priority: 100, protocol: 'Udp', sourceAddressPrefix: '*', destinationPortRanges: ['53', '123'] }), rule('deny', { priority: 200, access: 'Deny', protocol: 'Udp', sourceAddressPrefix: '*', destinationPortRange: '*' })];
    assert.deepEqual(spans(rules), ['0-52:closed:deny', '53-53:open:allow', '54-122:closed:deny', '123-123:open:allow', '124-65535:closed:deny']);
  });
  it('TCP rules and sources that are not the Internet leave UDP closed', () => {
    const rules = [rule('tcp', { priority: 100, sourceAddressPrefix: '*', destinationPortRange: '*' }), rule('branch', { priority: 110, protocol: 'Udp', sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: '514' })];
    assert.deepEqual(spans(rules), ['0-65535:closed']);
  });
  it('a port known only at deployment makes the verdict unknown', () => {
    const rules = [rule('media', { priority: 100, protocol: 'Udp', sourceAddressPrefix: '*', destinationPortRange: U('parameter mediaPorts has no value') })];
    assert.deepEqual(spans(rules), ['0-65535:unknown']);
  });
});
