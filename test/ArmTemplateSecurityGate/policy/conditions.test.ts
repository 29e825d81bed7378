/**
 * Azure Policy's condition language on evaluated resources: every operator, the logical ones with
 * unknown, array aliases, count with where, expressions, and the strict reading of conditions.
 */
import * as assert from 'node:assert/strict';
import { FileError } from '../../../tasks/common/errors';
import { DocReader, readDocument } from '../../../tasks/ArmTemplateSecurityGate/core/documents';
import { UnknownValue, type EvaluatedValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { evaluateCondition, readCondition, type Truth } from '../../../tasks/ArmTemplateSecurityGate/core/policy/conditions';
import { resource } from '../fakes';

const unknown = (reason = 'parameter x has no value') => new UnknownValue(reason);

const storage = (props: Record<string, EvaluatedValue>, extra: Record<string, EvaluatedValue> = {}) =>
  resource('main.json', 'Microsoft.Storage/storageAccounts', 'st1', { location: 'West Europe', properties: props, ...extra });

function read(yaml: string, parameters: string[] = []) {
  return readCondition(new DocReader('rule.yaml'), readDocument(yaml, 'rule.yaml'), 'if', { parameters: new Set(parameters.map((p) => p.toLowerCase())) });
}

function judge(yaml: string, res = storage({}), parameters: Record<string, EvaluatedValue> = {}): Truth {
  return evaluateCondition(read(yaml, Object.keys(parameters)), { resource: res, parameters });
}

const state = (yaml: string, res?: ReturnType<typeof storage>, parameters?: Record<string, EvaluatedValue>) => judge(yaml, res, parameters).state;

describe('policy conditions: operators', () => {
  const r = storage({ supportsHttpsTrafficOnly: false, minimumTlsVersion: 'TLS1_0', count: 3, networkAcls: { defaultAction: 'Allow' } }, { tags: { Env: 'prod' }, kind: 'StorageV2' });
  const cases: Array<[string, boolean]> = [
    ['{field: Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly, equals: "false"}', true],
    ['{field: Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly, equals: false}', true],
    ['{field: properties.supportsHttpsTrafficOnly, notEquals: "FALSE"}', false],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, in: [TLS1_0, TLS1_1]}', true],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, notIn: [tls1_0]}', false],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, like: "tls1_*"}', true],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, notLike: "TLS1_2"}', true],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, match: "TLS#_#"}', true],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, match: "tls#_#"}', false],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, matchInsensitively: "tls#_#"}', true],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, notMatch: "???#_#"}', false],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, contains: "1_0"}', true],
    ['{field: Microsoft.Storage/storageAccounts/minimumTlsVersion, notContains: "1_2"}', true],
    ['{field: tags, containsKey: env}', true],
    ['{field: tags, notContainsKey: owner}', true],
    ['{field: tags.Env, equals: PROD}', true],
    ["{field: \"tags['Env']\", equals: prod}", true],
    ['{field: properties.count, greater: 2}', true],
    ['{field: properties.count, greaterOrEquals: "3"}', true],
    ['{field: properties.count, less: 3}', false],
    ['{field: properties.count, lessOrEquals: 3}', true],
    ['{field: kind, equals: storagev2}', true],
    ['{field: location, equals: westeurope}', true],
    ['{field: type, equals: microsoft.storage/storageaccounts}', true],
    ['{field: name, equals: ST1}', true],
    ['{field: properties.networkAcls.defaultAction, equals: Allow}', true],
    ['{field: properties.missing, exists: false}', true],
    ['{field: properties.missing, exists: "true"}', false],
    ['{field: properties.missing, notEquals: x}', true],
    ['{field: properties.missing, equals: x}', false],
    ['{field: properties.missing, notIn: [x]}', true],
    ['{value: "[concat(\'a\', \'b\')]", equals: AB}', true],
  ];
  for (const [yaml, expected] of cases) {
    it(`${yaml} → ${expected}`, () => assert.equal(state(yaml, r), expected, judge(yaml, r).detail));
  }

  it('an alias the table does not hold on this resource type is unknown, naming the alias; one of another type reads as absent', () => {
    // networkAcls.defaultAction is no alias in the seed table: never guessed from the property name.
    const t = judge('{field: Microsoft.Storage/storageAccounts/networkAcls.bogus, equals: Allow}', r);
    assert.equal(t.state, 'unknown');
    assert.match(t.detail, /alias 'Microsoft\.Storage\/storageAccounts\/networkAcls\.bogus' is not in the gate's alias table \(version /);
    assert.equal(state('{field: Microsoft.Web/sites/httpsOnly, equals: false}', r), false);
    assert.equal(state('{field: Microsoft.Web/sites/httpsOnly, exists: false}', r), true);
  });

  it('whether a property behind an alias the table does not hold is set is unknown too: exists true and exists false are both unknown', () => {
    for (const yaml of ['{field: Microsoft.Storage/storageAccounts/networkAcls.bogus, exists: false}', '{field: Microsoft.Storage/storageAccounts/networkAcls.bogus, exists: true}']) {
      const t = judge(yaml, r);
      assert.equal(t.state, 'unknown', yaml);
      assert.match(t.detail, /alias 'Microsoft\.Storage\/storageAccounts\/networkAcls\.bogus' is not in the gate's alias table/);
    }
  });
});

describe('policy conditions: known only at deployment', () => {
  const r = storage({ supportsHttpsTrafficOnly: unknown('parameter httpsOnly has no value'), minimumTlsVersion: 'TLS1_2' });

  it('a comparison with an unknown value is unknown with its reason, never true or false', () => {
    const t = judge('{field: Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly, equals: false}', r);
    assert.equal(t.state, 'unknown');
    assert.match(t.detail, /parameter httpsOnly has no value/);
    assert.equal(state('{field: Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly, notEquals: false}', r), 'unknown');
    assert.equal(state('{field: Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly, exists: true}', r), true, 'a value known later exists');
  });

  it('allOf is false when a part is false, whatever the unknown part; anyOf true when a part is true; not keeps unknown', () => {
    const u = '{field: Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly, equals: false}';
    assert.equal(state(`{allOf: [${u}, {field: type, equals: Microsoft.Web/sites}]}`, r), false);
    assert.equal(state(`{allOf: [${u}, {field: type, equals: Microsoft.Storage/storageAccounts}]}`, r), 'unknown');
    assert.equal(state(`{anyOf: [${u}, {field: location, equals: westeurope}]}`, r), true);
    assert.equal(state(`{anyOf: [${u}, {field: location, equals: eastus}]}`, r), 'unknown');
    assert.equal(state(`{not: ${u}}`, r), 'unknown');
    assert.equal(state('{not: {field: location, equals: eastus}}', r), true);
  });

  it('a location, name or id known only at deployment is unknown; resourceGroup() and policy() too', () => {
    const r2 = resource('main.json', 'Microsoft.Storage/storageAccounts', "[parameters('name')]", { location: unknown('parameter loc has no value') });
    assert.equal(state('{field: location, notIn: [westeurope]}', r2), 'unknown');
    assert.equal(state('{field: name, like: "st*"}', r2), 'unknown');
    assert.equal(state('{field: id, contains: x}', r2), 'unknown');
    assert.equal(state('{value: "[resourceGroup().location]", equals: westeurope}', r2), 'unknown');
    assert.match(judge('{value: "[policy().assignmentId]", equals: x}', r2).detail, /policy\(\)/);
  });

  it('a parameter value known only at deployment in the compared value is unknown', () => {
    assert.equal(state("{field: location, in: \"[parameters('allowed')]\"}", storage({}), { allowed: unknown() }), 'unknown');
    assert.equal(state("{field: location, in: \"[parameters('allowed')]\"}", storage({}), { allowed: ['westeurope'] }), true);
  });
});

describe('policy conditions: arrays and count', () => {
  const rules = (...ips: EvaluatedValue[]) => storage({ networkAcls: { ipRules: ips.map((value) => ({ value, action: 'Allow' })) } });

  it('a [*] field holds when every member meets it; an empty or absent array holds', () => {
    const c = '{field: "properties.networkAcls.ipRules[*].value", notEquals: "0.0.0.0/0"}';
    assert.equal(state(c, rules('10.0.0.1', '10.0.0.2')), true);
    assert.equal(state(c, rules('10.0.0.1', '0.0.0.0/0')), false);
    assert.equal(state(c, rules()), true);
    assert.equal(state(c, storage({})), true);
    assert.equal(state(c, rules('10.0.0.1', unknown())), 'unknown');
    assert.equal(state(c, rules('0.0.0.0/0', unknown())), false, 'a known member that fails decides');
  });

  it('count with where counts members, and is unknown only when the unknown members could change the answer', () => {
    const c = (op: string) => `{count: {field: "properties.networkAcls.ipRules[*]", where: {field: "properties.networkAcls.ipRules[*].value", equals: "0.0.0.0/0"}}, ${op}}`;
    assert.equal(state(c('greater: 0'), rules('10.0.0.1', '0.0.0.0/0')), true);
    assert.equal(state(c('greater: 0'), rules('10.0.0.1')), false);
    assert.equal(state(c('greater: 0'), rules('10.0.0.1', unknown())), 'unknown');
    assert.equal(state(c('greater: 0'), rules('0.0.0.0/0', unknown())), true, 'one known match is enough for > 0');
    assert.equal(state(c('less: 5'), rules(unknown(), unknown())), true, '0 to 2 matches are all < 5');
    assert.equal(state('{count: {field: "properties.networkAcls.ipRules[*]"}, equals: 2}', rules('a', 'b')), true);
  });

  it('count over a value with a name, read with current()', () => {
    const c = "{count: {value: \"[parameters('banned')]\", name: b, where: {field: location, equals: \"[current('b')]\"}}, greater: 0}";
    assert.equal(state(c, storage({}), { banned: ['eastus', 'westeurope'] }), true);
    assert.equal(state(c, storage({}), { banned: ['eastus'] }), false);
  });

  it('ipRangeContains() and requestContext().apiVersion are computed', () => {
    const r = resource('main.json', 'Microsoft.Storage/storageAccounts', 'st', { location: 'westeurope' }, 10, { apiVersion: '2018-07-01' });
    assert.equal(state("{value: \"[ipRangeContains('10.0.0.0/8', '10.1.2.0/24')]\", equals: true}", r), true);
    assert.equal(state("{value: \"[ipRangeContains('10.0.0.0/8', '11.1.2.3')]\", equals: true}", r), false);
    assert.equal(state('{value: "[requestContext().apiVersion]", less: "2019-04-01"}', r), true);
  });
});

describe('policy conditions: reading', () => {
  const error = (yaml: string, params: string[] = []): FileError => {
    try {
      read(yaml, params);
    } catch (e) {
      if (e instanceof FileError) return e;
      throw e;
    }
    assert.fail(`no error for ${yaml}`);
  };

  it('refuses what Azure refuses, at file:line, naming the problem', () => {
    assert.match(error('field: location\nequal: westeurope').message, /^rule\.yaml:2:1: unknown key 'equal' in if \(did you mean 'equals'\?\)/);
    assert.match(error('field: location').message, /needs exactly one operator/);
    assert.match(error('field: location\nvalue: x\nequals: y').message, /exactly one of field, value or count/);
    assert.match(error('allOf: []').message, /at least one condition/);
    assert.match(error('field: location\nin: westeurope').message, /in takes a list/);
    assert.match(error('field: location\nexists: maybe').message, /exists takes true or false/);
    assert.match(error('count: {field: "properties.rules"}\ngreater: 0').message, /ending in \[\*\]/);
    assert.match(error("field: location\nin: \"[parameters('nope')]\"").message, /reads parameter 'nope', which is not declared/);
    assert.match(error('value: "[nosuchfunction(1)]"\nequals: 1').message, /unknown function 'nosuchfunction'/);
    assert.match(error('value: "[concat(\'a\']"\nequals: 1').message, /^rule\.yaml:1:\d+: invalid expression/);
    assert.match(error('anyOf:\n  - field: type\n    equals: x\n  - field: name\n    equal: y').message, /^rule\.yaml:5:5: unknown key 'equal'/);
  });
});
