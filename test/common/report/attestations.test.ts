import * as assert from 'node:assert/strict';
import { FileError } from '../../../tasks/common/errors';
import {
  AttestationIndex,
  applyAttestations,
  attestationMatches,
  parseAttestationFile,
  wildcardMatch,
  type AttestationTarget,
} from '../../../tasks/common/report/attestations';

describe('common/report/attestations', () => {
  it('wildcards: * any run (slashes included), ? one character, case-insensitive, whole name', () => {
    const yes: Array<[string, string]> = [
      ['*', ''],
      ['*', 'anything/at/all'],
      ['st*', 'StAccount'],
      ['*-prod-*-prod-*', 'a-prod-b-prod-c'],
      ['*-prod-*-prod-*', '-prod--prod-'],
      ['a?c', 'abc'],
      ['a*b*c', 'abbbbc'],
      ['*ab', 'aab'],
      ['ab*', 'ab'],
      ['a*a', 'aa'],
      ['[parameters(\'x\')]_nic', "[PARAMETERS('x')]_nic"],
      ['site/*', 'site/web'],
    ];
    const no: Array<[string, string]> = [
      ['st*', 'xst'],
      ['*-prod-*-prod-*', 'a-prod-b'],
      ['a?c', 'ac'],
      ['a*a', 'a'],
      ['abc', 'abcd'],
      ['*ab', 'ba'],
      ['a*b*c', 'acb'],
    ];
    for (const [p, t] of yes) assert.ok(wildcardMatch(p, t), `${p} ~ ${t}`);
    for (const [p, t] of no) assert.ok(!wildcardMatch(p, t), `${p} !~ ${t}`);
  });

  it('a name glob with several stars on a 12,000-character name answers at once (no backtracking)', () => {
    // A regular expression with three `.*` takes over 40 s on the first of these.
    const name = `${'-prod-'.repeat(2000)}a`;
    const started = process.hrtime.bigint();
    assert.equal(wildcardMatch('*-prod-*-prod-*x', name), false);
    assert.equal(wildcardMatch('*-prod-*-prod-*a', name), true);
    assert.equal(wildcardMatch('*-prod-*-prod-*', name), true);
    assert.equal(wildcardMatch('*-prod-*-prod-*', `-prod-${'a'.repeat(12000)}`), false);
    // A bound far above the linear time (a few ms) and far below the cubic one (seconds).
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
  });

  it('matches a subject that is an API operation at a URL, with the same file format', () => {
    const [a] = parseAttestationFile(
      ['attestations:', '  - control: api-tls', '    resource: { type: GET, name: "/pets/*", file: "https://api.contoso.com/**" }', '    justification: internal', '    expiresOn: 2999-01-01'].join('\n'),
      'attest.yml',
    );
    const target: AttestationTarget = { ruleId: 'api-tls', aliases: [], file: 'https://api.contoso.com/v1/pets/1', subject: { type: 'GET', name: '/pets/1' } };
    assert.ok(attestationMatches(a, target));
    assert.ok(!attestationMatches(a, { ...target, subject: { type: 'POST', name: '/pets/1' } }));
  });

  it('reads a key named like an Object.prototype member as an unknown key', () => {
    assert.throws(
      () => parseAttestationFile('attestations:\n  - control: x\n    constructor: y\n    justification: j\n    expiresOn: 2999-01-01\n', 'a.yml'),
      (e: unknown) => e instanceof FileError && /a\.yml:2: unknown key 'constructor'/.test(e.message),
    );
    assert.throws(
      () => parseAttestationFile('attestations:\n  - control: x\n    resource: { toString: y }\n    justification: j\n    expiresOn: 2999-01-01\n', 'a.yml'),
      (e: unknown) => e instanceof FileError && /unknown key 'resource\.toString'/.test(e.message),
    );
  });

  it('applies the first valid attestation in written order, an expired one only when no valid one matches', () => {
    const list = parseAttestationFile(
      [
        'attestations:',
        '  - { control: c1, resource: { name: "st*" }, justification: old, expiresOn: 2020-01-01 }',
        '  - { control: AZSK_ID, resource: { name: st1 }, justification: renewed, expiresOn: 2999-01-01 }',
        '  - { control: c1, resource: { name: other }, justification: unused, expiresOn: 2999-01-01 }',
      ].join('\n'),
      'a.yml',
    );
    const findings = [
      { outcome: 'fail' as const, message: 'm1', name: 'st1' },
      { outcome: 'fail' as const, message: 'm2', name: 'st2' },
      { outcome: 'pass' as const, message: 'm3', name: 'st3' },
    ];
    const used = applyAttestations(findings, new AttestationIndex(list), new Date('2026-01-01'), (f) => ({ ruleId: 'c1', aliases: ['azsk_id'], file: 'main.json', subject: { type: 'T', name: f.name } }));
    assert.equal(findings[0].outcome, 'attested');
    assert.equal((findings[0] as { attestation?: { justification: string } }).attestation?.justification, 'renewed');
    assert.equal(findings[1].outcome, 'fail');
    assert.match(findings[1].message, /attestation expired on 2020-01-01 \(a\.yml:2\)/);
    assert.equal(findings[2].outcome, 'pass');
    assert.deepEqual([...used].map((a) => a.justification).sort(), ['old', 'renewed']);
  });
});

describe('common/report/attestations: a JSON attestation file', () => {
  it('reads as the same attestations, with the same lines, as its YAML spelling', () => {
    const yaml = [
      'attestations:',
      '  - control: c1',
      '    resource: { name: "st*", type: T }',
      '    justification: j1',
      '    expiresOn: 2999-01-01',
      '  - control: c2',
      '    justification: j2',
      '    approvedBy: sec',
      '    expiresOn: 2999-02-01',
    ].join('\n');
    const json = [
      '\uFEFF{ "attestations": [',
      '  { "control": "c1",',
      '    "resource": { "name": "st*", "type": "T" },',
      '    "justification": "j1",',
      '    "expiresOn": "2999-01-01" },',
      '  { "control": "c2",',
      '    "justification": "j2",',
      '    "approvedBy": "sec",',
      '    "expiresOn": "2999-02-01" }',
      '] }',
    ].join('\n');
    const strip = (list: ReturnType<typeof parseAttestationFile>) => list.map(({ source: _s, ...a }) => a);
    assert.deepEqual(strip(parseAttestationFile(json, 'a.json')), strip(parseAttestationFile(yaml, 'a.yml')));
    assert.throws(() => parseAttestationFile('{ "attestations": [ { "control": "x", "__proto__": {} } ] }', 'a.json'), /a\.json:1: unknown key '__proto__'/);
    assert.throws(() => parseAttestationFile('{ "attestation": [] }', 'a.json'), /unknown key 'attestation'/);
    // Flow-style YAML that is not JSON still reads as YAML.
    assert.equal(parseAttestationFile('{ attestations: [ { control: c, justification: j, expiresOn: 2999-01-01 } ] }', 'a.yml').length, 1);
  });
});
