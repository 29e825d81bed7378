import * as assert from 'node:assert/strict';
import { InputError } from '../../tasks/common/errors';
import { parseMap, TaskInputs } from '../../tasks/common/host/inputs';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { FakeHost } from '../helpers/fake-host';

function reader(inputs: Record<string, string>) {
  const host = new FakeHost({ inputs });
  const secrets = new SecretRegistry(host);
  return { host, secrets, inputs: new TaskInputs(host, secrets) };
}

const inputError = (name: string, message: RegExp) => (err: unknown) =>
  err instanceof InputError && err.input === name && message.test(err.message);

describe('common/host/inputs: the one strict input reader', () => {
  it('strings: trimmed, undefined when blank; required names the input', () => {
    const { inputs } = reader({ a: '  x  ', blank: '   ' });
    assert.equal(inputs.string('a'), 'x');
    assert.equal(inputs.string('blank'), undefined);
    assert.throws(() => inputs.required('blank'), inputError('blank', /^Input 'blank': is required$/));
  });

  it('booleans: true/false in any case, anything else an error quoting the value', () => {
    const { inputs } = reader({ t: 'TRUE', f: 'False', y: 'yes' });
    assert.equal(inputs.bool('t', false), true);
    assert.equal(inputs.bool('f', true), false);
    assert.equal(inputs.bool('missing', true), true);
    assert.throws(() => inputs.bool('y', false), inputError('y', /expected true or false, got 'yes'/));
  });

  it('integers: decimal only, within the range', () => {
    const { inputs } = reader({ ok: '42', neg: '-3', hex: '0x10', exp: '1e3', dec: '1.0', plus: '+5', big: '241', spaced: '4 2' });
    assert.equal(inputs.int('ok', 1, { min: 1, max: 240 }), 42);
    assert.equal(inputs.int('neg', 0, { min: -10, max: 10 }), -3);
    assert.equal(inputs.int('missing', 7, { min: 1, max: 240 }), 7);
    assert.equal(inputs.int('missing', undefined, { min: 1, max: 240 }), undefined);
    for (const name of ['hex', 'exp', 'dec', 'plus', 'big', 'spaced']) {
      assert.throws(() => inputs.int(name, 1, { min: 1, max: 240 }), inputError(name, /expected a whole number from 1 to 240/), name);
    }
  });

  it('enums: case-insensitive, canonical spelling back, prototype names are not values', () => {
    const { inputs } = reader({ m: 'ZIPDEPLOY', bad: 'constructor', proto: '__proto__' });
    const methods = ['auto', 'zipDeploy', 'oneDeploy'] as const;
    assert.equal(inputs.enumOf('m', methods, 'auto'), 'zipDeploy');
    assert.equal(inputs.enumOf('missing', methods, 'auto'), 'auto');
    assert.throws(() => inputs.enumOf('bad', methods, 'auto'), inputError('bad', /expected one of auto, zipDeploy, oneDeploy, got 'constructor'/));
    assert.throws(() => inputs.enumOf('proto', methods, 'auto'), inputError('proto', /got '__proto__'/));
  });

  it('lists split on new lines, commas and semicolons; lines keep commas; # lines are comments', () => {
    const { inputs } = reader({ l: 'a, b;c\n# not this\n\n d ', g: 'infra/{a,b}/*.json\n# skip\n  x.json  ' });
    assert.deepEqual(inputs.list('l'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(inputs.lines('g'), ['infra/{a,b}/*.json', 'x.json']);
    assert.deepEqual(inputs.list('missing'), []);
  });

  it('a list narrowed to commas keeps semicolons inside its values (as its help documents)', () => {
    const { inputs } = reader({ tags: 'team;orders, eu\nprod' });
    assert.deepEqual(inputs.list('tags', { separators: ',' }), ['team;orders', 'eu', 'prod']);
    assert.deepEqual(inputs.list('tags'), ['team', 'orders', 'eu', 'prod']);
  });

  it('maps take key=value and key => value; => wins; errors name the line', () => {
    const { inputs } = reader({ m: 'a=1\n# c\n**/*.json => p.json\nk = v=w', bad: 'a=1\nnovalue', dup: 'a=1\na=2' });
    assert.deepEqual([...inputs.map('m')], [['a', '1'], ['**/*.json', 'p.json'], ['k', 'v=w']]);
    assert.deepEqual([...parseMap('x', 'u=>a=b')], [['u', 'a=b']]);
    assert.throws(() => inputs.map('bad'), inputError('bad', /line 2: expected 'key = value' or 'key => value', got 'novalue'/));
    assert.throws(() => inputs.map('dup'), inputError('dup', /line 2: 'a' is given twice/));
  });

  it('secret inputs are read without the echo, registered, and never quoted in errors', () => {
    const { host, inputs } = reader({ s: 'p@ssw0rd-value', sm: 'X-Key=a\nnot a pair s3cr3t-line' });
    assert.equal(inputs.secret('s'), 'p@ssw0rd-value');
    assert.ok(host.secrets.includes('p@ssw0rd-value'));
    assert.deepEqual(host.secretInputsRead, ['s']);
    assert.throws(() => inputs.secretMap('sm'), (err: unknown) => err instanceof InputError && /line 2/.test(err.message) && !err.message.includes('s3cr3t'));
  });

  it('a quoted value cannot add a line or carry a pipeline command', () => {
    const { inputs } = reader({ b: 'x\n##vso[task.setvariable variable=INJECTED]evil' });
    assert.throws(() => inputs.bool('b', false), (err: unknown) => err instanceof InputError && !err.message.includes('\n') && !err.message.includes('##vso['));
  });

  it('filePath inputs count only when the user gave them', () => {
    const { inputs } = reader({ f: 'a/b.json' });
    assert.equal(inputs.filePath('f'), 'a/b.json');
    assert.equal(inputs.filePath('none'), undefined);
  });
});
