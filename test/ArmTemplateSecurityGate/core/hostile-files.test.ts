/**
 * Issue 9 §5 and issue 8 §3-§4: what a pull request can put in a repository (links out, unreadable
 * folders, names like globs, other encodings, broken parameter files, credentials in URIs) never
 * leads the scan out of its root, never reveals what lies outside it, and never passes in silence.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileError } from '../../../tasks/common/errors';
import { silentLogger, type Logger } from '../../../tasks/common/log/logger';
import { main } from '../../../tasks/ArmTemplateSecurityGate/cli/main';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { findReporter } from '../../../tasks/ArmTemplateSecurityGate/core/reporters';
import type { EvaluateOptions, GateFs, ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps, nodeGateFs } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import { corpusDir } from '../../../scripts/paths';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** One storage account that fails storage-https-only unless `https` says otherwise; its name carries `marker`. */
function storageTemplate(marker: string, extra: { parameters?: object; https?: unknown; resources?: object[] } = {}) {
  return {
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { n: { type: 'string', defaultValue: marker }, ...extra.parameters },
    resources: [
      {
        type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: "[parameters('n')]", location: 'westeurope', kind: 'StorageV2',
        sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: extra.https ?? false, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false },
      },
      ...(extra.resources ?? []),
    ],
  };
}

function write(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

function recordingLogger(lines: string[]): Logger {
  return { ...silentLogger, warning: (m) => lines.push(m), error: (m) => lines.push(m), info: (m) => lines.push(m) };
}

const errors = (r: ScanResult) => r.findings.filter((f) => f.outcome === 'error');
const httpsFindings = (r: ScanResult) => r.findings.filter((f) => f.ruleId === 'storage-https-only').map((f) => [f.resource.name, f.outcome]);

describe('scan: hostile files and folders', () => {
  let tmp: string;
  let root: string;
  const logged: string[] = [];
  const scan = (options: Partial<EvaluateOptions>, gateFs: GateFs = nodeGateFs) => {
    const deps = nodeGateDeps(recordingLogger(logged));
    return evaluate({ paths: ['.'], root, ...options }, { ...deps, fs: gateFs });
  };

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-hostile-')));
    root = path.join(tmp, 'repo');
    fs.mkdirSync(root);
    logged.length = 0;
    write(path.join(tmp, 'elsewhere', 'secret.json'), storageTemplate('outsidesecret'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('a folder or glob whose base is a link out of the root', () => {
    beforeEach(() => {
      write(path.join(root, 'main.json'), storageTemplate('inside'));
      fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(root, 'infra'));
    });

    for (const given of ['infra', 'infra/**/*.json', 'infra/*.json']) {
      it(`'${given}' is reported as an error and nothing behind it is read`, () => {
        const r = scan({ paths: [given, 'main.json'] });
        assert.doesNotMatch(JSON.stringify(r), /outsidesecret/);
        assert.deepEqual(httpsFindings(r), [['inside', 'fail']]);
        const e = errors(r);
        assert.equal(e.length, 1, JSON.stringify(e));
        assert.equal(e[0].file, given);
        assert.match(e[0].message, /symbolic link .* leads outside/);
        assert.equal(r.verdict.result, 'fail');
      });
    }

    it('a root that is itself such a link (armgate scan infra, infra -> elsewhere) is refused, nothing scanned', async () => {
      const out: string[] = [];
      const code = await main(['scan', 'infra', '--format', 'json'], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), isTTY: false, env: {}, cwd: root });
      assert.equal(code, 2);
      assert.match(out.join(''), /armgate: infra: the scan root is a symbolic link .* leads outside/);
      assert.doesNotMatch(out.join(''), /outsidesecret/);
    });
  });

  it('a file named as given is that file, even when its name holds glob characters', () => {
    write(path.join(root, 'main[1].json'), storageTemplate('bracketed'));
    write(path.join(root, 'main{a,b}.json'), storageTemplate('braced'));
    assert.deepEqual(httpsFindings(scan({ paths: ['main[1].json'] })), [['bracketed', 'fail']]);
    assert.deepEqual(httpsFindings(scan({ paths: ['main{a,b}.json'] })), [['braced', 'fail']]);
    // A real glob still globs.
    assert.deepEqual(httpsFindings(scan({ paths: ['main*.json'] })).length, 2);
  });

  describe('encodings', () => {
    const text = () => JSON.stringify(storageTemplate('encoded'), null, 2);
    const cases: Array<[string, () => Buffer]> = [
      ['UTF-8 with a byte-order mark', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text(), 'utf8')])],
      ['UTF-16 LE with a byte-order mark', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text(), 'utf16le')])],
      ['UTF-16 BE with a byte-order mark', () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text(), 'utf16le').swap16()])],
    ];
    for (const [name, bytes] of cases) {
      it(`a template in ${name} is scanned`, () => {
        fs.writeFileSync(path.join(root, 'main.json'), bytes());
        const r = scan({});
        assert.equal(r.counts.templates, 1);
        assert.deepEqual(httpsFindings(r), [['encoded', 'fail']]);
      });
    }

    it('a template in UTF-16 without a byte-order mark is an error, never a silent pass', () => {
      fs.writeFileSync(path.join(root, 'main.json'), Buffer.from(text(), 'utf16le'));
      const r = scan({});
      assert.equal(errors(r).length, 1);
      assert.match(errors(r)[0].message, /not text in UTF-8, or in UTF-16 with a byte-order mark/);
      assert.equal(r.verdict.result, 'fail');
    });
  });

  it('a folder that cannot be read is reported, and the rest is scanned', () => {
    write(path.join(root, 'a', 'main.json'), storageTemplate('readable'));
    write(path.join(root, 'b', 'main.json'), storageTemplate('hidden'));
    const locked = path.join(root, 'b');
    // Tests may run as root, which no permission stops: the refusal comes from the file system port.
    const gateFs: GateFs = {
      ...nodeGateFs,
      list: (dir) => {
        if (path.resolve(dir) === locked) throw new FileError(dir, `cannot list the folder: permission denied for ${dir}`);
        return nodeGateFs.list(dir);
      },
    };
    const r = scan({}, gateFs);
    assert.deepEqual(httpsFindings(r), [['readable', 'fail']]);
    const e = errors(r);
    assert.equal(e.length, 1);
    assert.equal(e[0].file, 'b');
    assert.match(e[0].message, /'b' could not be read, so the files in it were not checked \(.*permission denied/);
    assert.equal(r.verdict.result, 'fail');
  });

  describe('linked template URIs', () => {
    const deployment = (name: string, uri: string) => ({ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name, properties: { mode: 'Incremental', templateLink: { uri } } });

    it('a user and password in the URI reach no report and no log line', () => {
      write(path.join(root, 'main.json'), storageTemplate('x', { https: true, resources: [deployment('creds', 'https://deploy:hunter2-pw@templates.contoso.com/child.json?sv=1&sig=abc')] }));
      const r = scan({});
      const everything = JSON.stringify(r) + logged.join('\n') + findReporter('console')!.render(r) + findReporter('sarif')!.render(r);
      assert.doesNotMatch(everything, /hunter2/);
      assert.match(JSON.stringify(r.files), /templates\.contoso\.com\/child\.json/);
    });

    it('an encoded ".." reads nothing outside the root, and says the same whether the file is there or not', () => {
      write(path.join(root, 'infra', 'main.json'), {
        ...storageTemplate('x', { https: true }),
        resources: [
          deployment('there', 'https://templates.contoso.com/..%2f..%2felsewhere%2fsecret.json'),
          deployment('missing', 'https://templates.contoso.com/..%2f..%2felsewhere%2fnothing.json'),
        ],
      });
      const r = scan({});
      assert.doesNotMatch(JSON.stringify(r) + logged.join('\n'), /outsidesecret|was read from the local file/);
      const messages = r.files.find((f) => f.file === 'infra/main.json')!.diagnostics.map((d) => d.message.replace(/secret\.json|nothing\.json/, 'NAME'));
      assert.equal(messages.length, 2, JSON.stringify(messages));
      assert.equal(messages[0], messages[1]);
    });

    it('a relative path out of the root is refused in the same words whether the file is there or not', () => {
      write(path.join(root, 'main.json'), {
        ...storageTemplate('x', { https: true }),
        resources: [
          { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'a', properties: { mode: 'Incremental', templateLink: { relativePath: '../elsewhere/secret.json' } } },
          { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'b', properties: { mode: 'Incremental', templateLink: { relativePath: '../elsewhere/nothing.json' } } },
        ],
      });
      const r = scan({});
      const messages = r.files[0].diagnostics.map((d) => d.message.replace(/secret\.json|nothing\.json/, 'NAME'));
      assert.equal(messages.length, 2);
      assert.equal(messages[0], messages[1]);
      assert.match(messages[0], /resolves outside the scan root/);
    });
  });
});

describe('scan: parameter files that cannot be used are errors, and their template is still checked', () => {
  let tmp: string;
  let infra: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-params-')));
    infra = path.join(tmp, 'repo', 'infra');
    write(path.join(infra, 'site.json'), storageTemplate('fromdefault', { parameters: { https: { type: 'bool', defaultValue: true } }, https: "[parameters('https')]" }));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cli = async (argv: string[], cwd: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, cwd });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  it('the verdict does not depend on the working directory (armgate scan /abs/infra from elsewhere)', async () => {
    write(path.join(infra, 'site.parameters.json'), { $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { https: { value: false } } });
    const elsewhere = path.join(tmp, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const inside = await cli(['scan', '.', '--format', 'json'], infra);
    const outside = await cli(['scan', infra, '--format', 'json'], elsewhere);
    const fromParent = await cli(['scan', 'repo/infra', '--format', 'json'], tmp);
    for (const r of [inside, outside, fromParent]) {
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /outside the scan root/);
      const doc = JSON.parse(r.stdout) as { results: Array<{ ruleId: string; outcome: string; file: string }> };
      assert.deepEqual(doc.results.filter((x) => x.ruleId === 'storage-https-only').map((x) => [x.file, x.outcome]), [['site.json', 'fail']]);
    }
  });

  it('a parameter file beside the template that resolves outside the root is an error, not a warning', () => {
    write(path.join(tmp, 'outside.parameters.json'), { $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { https: { value: false } } });
    fs.symlinkSync(path.join(tmp, 'outside.parameters.json'), path.join(infra, 'site.parameters.json'));
    const r = evaluate({ paths: ['.'], root: infra }, nodeGateDeps(silentLogger));
    const e = errors(r);
    assert.equal(e.length, 1, JSON.stringify(r.findings));
    assert.equal(e[0].resource.type, 'parameters');
    assert.match(e[0].message, /resolves outside the scan root/);
    assert.equal(r.verdict.result, 'fail');
    // The template is still there, evaluated with its defaults.
    assert.deepEqual(httpsFindings(r), [['fromdefault', 'pass']]);
  });

  it('a malformed parameter file is an error of its own; its template is still listed and checked', () => {
    write(path.join(infra, 'site.parameters.json'), `{ "$schema": "${PARAMS_SCHEMA}", "parameters": { "https": { "value": fals } } }`);
    const r = evaluate({ paths: ['.'], root: infra }, nodeGateDeps(silentLogger));
    const e = errors(r);
    assert.equal(e.length, 1, JSON.stringify(r.findings));
    assert.equal(e[0].file, 'site.parameters.json');
    assert.equal(e[0].resource.type, 'parameters');
    assert.equal(e[0].title, 'Parameter file could not be used');
    const site = r.files.find((f) => f.file === 'site.json')!;
    assert.equal(site.kind, 'template');
    assert.equal(site.parametersFile, undefined);
    assert.deepEqual(httpsFindings(r), [['fromdefault', 'pass']]);
    const text = findReporter('console')!.render(r);
    assert.match(text, /^site\.json/m);
    assert.match(text, /^ {2}parameters site\.parameters\.json$/m);
    assert.doesNotMatch(text, /template site\.parameters\.json/);
  });

  it('a parameter file that cannot be read is an error; the template is checked with its defaults', () => {
    write(path.join(infra, 'site.parameters.json'), { $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { https: { value: false } } });
    const gateFs: GateFs = {
      ...nodeGateFs,
      readText: (f) => {
        if (f.endsWith('site.parameters.json')) throw new FileError(f, `cannot read: permission denied for ${f}`);
        return nodeGateFs.readText(f);
      },
    };
    const r = evaluate({ paths: ['site.json'], root: infra }, { ...nodeGateDeps(silentLogger), fs: gateFs });
    const e = errors(r);
    assert.equal(e.length, 1, JSON.stringify(r.findings));
    assert.match(e[0].message, /cannot read the parameter file: .*permission denied/);
    assert.deepEqual(httpsFindings(r), [['fromdefault', 'pass']]);
    assert.equal(r.verdict.result, 'fail');
  });
});

describe('scan: nothing named is skipped in silence; linked templates are checked where they are deployed', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-named-')));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a named file that is no template is an error, never "0 template(s) … PASSED"', () => {
    write(path.join(root, 'main.json'), { contentVersion: '1.0.0.0', resources: [] });
    write(path.join(root, 'other.json'), { name: 'package' });
    const named = evaluate({ paths: ['main.json'], root }, nodeGateDeps(silentLogger));
    assert.equal(named.verdict.result, 'fail');
    assert.match(errors(named)[0].message, /is not an ARM deployment template/);
    // Found in a folder, an unrelated JSON file is not the user's concern.
    const walked = evaluate({ paths: ['.'], root }, nodeGateDeps(silentLogger));
    assert.equal(errors(walked).length, 0);
  });

  it('a parameter file named alone, used by no template, is reported', () => {
    write(path.join(root, 'main.parameters.json'), { $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: {} });
    const r = evaluate({ paths: ['main.parameters.json'], root }, nodeGateDeps(silentLogger));
    assert.equal(r.verdict.result, 'fail');
    assert.match(errors(r)[0].message, /is a parameter file, and no scanned template uses it/);
  });

  it('a linked template is evaluated with what its parent passes, and not again on its own with its defaults', () => {
    write(path.join(root, 'nested', 'child.json'), {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { artifacts: { type: 'string', defaultValue: '' }, n: { type: 'string', defaultValue: 'childdefault' } },
      variables: { script: "[uri(parameters('artifacts'), 'install.sh')]" },
      resources: [
        {
          type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: "[parameters('n')]", location: 'westeurope', kind: 'StorageV2',
          tags: { script: "[variables('script')]" }, sku: { name: 'Standard_LRS' }, properties: { supportsHttpsTrafficOnly: false },
        },
      ],
    });
    write(path.join(root, 'azuredeploy.json'), {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      resources: [
        {
          type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'child',
          properties: { mode: 'Incremental', templateLink: { relativePath: 'nested/child.json' }, parameters: { artifacts: { value: 'https://contoso.blob.core.windows.net/a/' }, n: { value: 'fromparent' } } },
        },
      ],
    });
    const r = evaluate({ paths: ['.'], root }, nodeGateDeps(silentLogger));
    assert.deepEqual(errors(r), []);
    assert.deepEqual(httpsFindings(r), [['fromparent', 'fail']]);
    const child = r.files.find((f) => f.file === 'nested/child.json')!;
    assert.equal(child.linkedFrom, 'azuredeploy.json');
    assert.equal(child.kind, 'template');
    assert.equal(r.counts.resources, 2);
    // Scanned on its own (its parent not in the scan), it is checked with its defaults.
    const alone = evaluate({ paths: ['nested'], root }, nodeGateDeps(silentLogger));
    assert.equal(alone.files[0].linkedFrom, undefined);
    assert.equal(errors(alone).length, 1);
  });
});

describe('scan: false positives on real templates (quickstart corpus)', () => {
  const corpus = corpusDir();

  it('an empty secure default (_artifactsLocationSasToken) passes; the messages read whole although "secret" is a secure value', () => {
    const r = evaluate({ paths: ['coscale-dev-env'], root: corpus }, nodeGateDeps(silentLogger));
    const sas = r.findings.find((f) => f.ruleId === 'template-secure-parameter-no-default' && f.resource.name === '_artifactsLocationSasToken')!;
    assert.equal(sas.outcome, 'pass');
    assert.match(sas.message, /empty default/);
    const templateWide = r.findings.filter((f) => f.ruleId.startsWith('template-'));
    assert.ok(templateWide.length >= 3);
    for (const f of templateWide) assert.doesNotMatch(f.message, /\*\*\*/, f.message);
  });

  it('a literal secure default still fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-literal-'));
    try {
      write(path.join(dir, 'main.json'), { $schema: SCHEMA, contentVersion: '1.0.0.0', parameters: { adminPassword: { type: 'securestring', defaultValue: 'Sysga1n4205!' } }, resources: [] });
      const r = evaluate({ paths: ['.'], root: dir }, nodeGateDeps(silentLogger));
      const f = r.findings.find((x) => x.ruleId === 'template-secure-parameter-no-default')!;
      assert.equal(f.outcome, 'fail');
      assert.doesNotMatch(JSON.stringify(r), /Sysga1n4205/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
