/**
 * Issue 9 §4: any value derived from a secure value, by any function or lambda, is secure: it is
 * masked in the log and in every report, wherever it is shown.
 */
import * as assert from 'node:assert/strict';
import { SecretTracker } from '../../../tasks/ArmTemplateSecurityGate/core/engine/secrets';
import { evaluateFiles, params, scanFiles, storage, tpl } from './scan-files';

const PW = 'Sysga1n4205!';
const SPACED = PW.split('').join(' ');
const REVERSED = PW.split('').reverse().join('');

const site = (name: string, minTlsVersion: string) => ({
  type: 'Microsoft.Web/sites', apiVersion: '2022-03-01', name, location: 'westeurope',
  properties: { httpsOnly: true, siteConfig: { minTlsVersion, ftpsState: 'Disabled' } },
});

function leaks(texts: string[], forms: string[]): string[] {
  return forms.filter((f) => texts.some((t) => t.includes(f)));
}

describe('ARM engine: values derived from a secure value are secure', () => {
  it('the issue examples (a spaced join, a reversal by reduce) never reach the log or any report', () => {
    const { result, outputs } = scanFiles({
      'main.json': tpl({
        parameters: { pw: { type: 'securestring' } },
        resources: [
          storage('stspaced', { minimumTlsVersion: "[join(split(parameters('pw'), ''), ' ')]", supportsHttpsTrafficOnly: true, allowBlobPublicAccess: false }),
          site('app-reversed', "[reduce(split(parameters('pw'), ''), '', lambda('acc', 'c', concat(lambdaVariables('c'), lambdaVariables('acc'))))]"),
          site("[concat('app-', reduce(split(parameters('pw'), ''), '', lambda('acc', 'c', concat(lambdaVariables('c'), lambdaVariables('acc')))))]", '1.0'),
        ],
      }),
      'main.parameters.json': params({ pw: PW }),
    });
    // The controls did judge the derived values (the check is not vacuous)...
    const tls = result.findings.find((f) => f.ruleId === 'storage-min-tls-version' && f.resource.name === 'stspaced');
    assert.equal(tls?.outcome, 'fail');
    assert.match(tls.message, /\*\*\*/);
    assert.ok(result.findings.some((f) => f.resource.type === 'Microsoft.Web/sites' && f.resource.name === '***'), 'the name built from the secret is masked');
    assert.ok(result.findings.some((f) => f.resource.type === 'Microsoft.Web/sites' && /\*\*\*/.test(f.message)));
    // ...and neither form appears anywhere.
    assert.deepEqual(leaks(outputs, [PW, SPACED, REVERSED]), []);
  });

  /** Masked text of everything the engine shows for one property value. */
  function shown(value: string, extra: object = {}): { text: string; secrets: SecretTracker } {
    const secrets = new SecretTracker();
    const r = evaluateFiles({
      'main.json': tpl({
        parameters: { pw: { type: 'securestring' } },
        variables: { cfg: { password: "[parameters('pw')]", tls: 'TLS1_2' } },
        resources: [storage('st', { x: value })],
        ...extra,
      }),
      'main.parameters.json': params({ pw: PW }),
    }, secrets);
    const x = (r.resources[0].body.properties as Record<string, unknown>).x;
    const errors = r.diagnostics.map((d) => d.message).join('\n');
    return { text: secrets.redact(`${typeof x === 'string' ? x : JSON.stringify(x)}\n${errors}`), secrets };
  }

  const derived: Array<[string, string]> = [
    ["[toUpper(parameters('pw'))]", PW.toUpperCase()],
    ["[base64(parameters('pw'))]", Buffer.from(PW).toString('base64')],
    ["[replace(parameters('pw'), 'a', '@')]", PW.replace('a', '@')],
    ["[format('{0}-x', parameters('pw'))]", `${PW}-x`],
    ["[substring(parameters('pw'), 1, 6)]", PW.substring(1, 7)],
    ["[string(createArray(parameters('pw')))]", JSON.stringify([PW])],
    ["[join(map(range(0, length(parameters('pw'))), lambda('i', substring(parameters('pw'), lambdaVariables('i'), 1))), '-')]", PW.split('').join('-')],
    ["[join(split(parameters('pw'), ''), ' ')]", SPACED],
    ["[reduce(split(parameters('pw'), ''), '', lambda('acc', 'c', concat(lambdaVariables('c'), lambdaVariables('acc'))))]", REVERSED],
    ["[join(sort(split(parameters('pw'), ''), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b')))), '')]", PW.split('').sort().join('')],
    ["[variables('cfg').password]", PW],
    ["[string(variables('cfg'))]", `{"password":"${PW}","tls":"TLS1_2"}`],
    ["[int(toLower(parameters('pw')))]", PW.toLowerCase()],
    ["[ns.wrap(parameters('pw'))]", `<${PW}>`],
  ];
  for (const [expr, form] of derived) {
    it(`${expr} is masked`, () => {
      const { text } = shown(expr, { functions: [{ namespace: 'ns', members: { wrap: { parameters: [{ name: 'v', type: 'string' }], output: { type: 'string', value: "[concat('<', parameters('v'), '>')]" } } } }] });
      assert.ok(!text.includes(form), `${form} shown in: ${text}`);
    });
  }

  it('a value passed to a nested deployment stays secure there', () => {
    const secrets = new SecretTracker();
    const inner = tpl({ parameters: { plain: { type: 'string' } }, resources: [storage('inner', { x: "[concat(parameters('plain'), '!')]" })] });
    const r = evaluateFiles({
      'main.json': tpl({
        parameters: { pw: { type: 'securestring' } },
        resources: [{ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'dep', properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, parameters: { plain: { value: "[toLower(parameters('pw'))]" } }, template: inner } }],
      }),
      'main.parameters.json': params({ pw: PW }),
    }, secrets);
    const x = (r.resources.find((res) => res.name === 'inner')!.body.properties as Record<string, string>).x;
    assert.equal(x, `${PW.toLowerCase()}!`);
    assert.equal(secrets.redact(`value ${x}`), 'value ***');
  });

  it('plain values beside a secure one stay readable: members of an object, branches chosen by a condition', () => {
    for (const e of [
      "[variables('cfg').tls]",
      "[if(equals(parameters('pw'), 'x'), 'TLS1_0', 'TLS1_2')]",
      "[tryGet(variables('cfg'), 'tls')]",
      "[concat(createArray('TLS1_2'), createArray(parameters('pw')))[0]]",
      "[first(createArray('TLS1_2', parameters('pw')))]",
      "[createObject('a', 'TLS1_2', 'b', parameters('pw')).a]",
    ]) {
      assert.equal(shown(e).text.split('\n')[0], 'TLS1_2', e);
    }
  });

  it('a short fragment is masked where it stands alone, not inside other words', () => {
    const { secrets } = shown("[substring(parameters('pw'), 0, 2)]");
    assert.equal(secrets.redact('value "Sy", in Sydney'), 'value "***", in Sydney');
  });
});
