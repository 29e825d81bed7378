/**
 * Issue 9 §1: a pull request controls every name, value and file the gate prints. Each vector the
 * issue lists goes through the BUNDLED v2 task (agent-like runner) and through `armgate`; no line
 * either prints may carry a pipeline command, and no value may start a line of its own.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildExtension } from '../../../scripts/build';
import { runTask } from '../../../scripts/task-runner';
import { parseVsoLine } from '../../../scripts/vso-commands';
import { repoRoot } from '../paths';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** Every payload carries a command and, after a line break, a marker that must never start a line. */
const cmd = (variable: string) => `##vso[task.setvariable variable=${variable}]evil`;
const VECTORS = {
  nameInline: `st${cmd('INJ_NAME_INLINE')}`,
  nameNewline: `st\nFORGED-NAME-N ##vso[task.prependpath]/tmp/attacker-bin`,
  nameReturn: `st\rFORGED-NAME-R ##vso[task.complete result=Succeeded]forged`,
  propertyValue: `TLS1_0\nFORGED-PROP ${cmd('INJ_PROP')}`,
  parameterValue: `TLS1_0\nFORGED-PARAM ${cmd('INJ_PARAM')}`,
  expression: `[json('{"a":\nFORGED-EXPR ${cmd('INJ_EXPR')}')]`,
  uncoveredType: `Microsoft.Foo/bars${cmd('INJ_TYPE')}`,
  fileName: `${cmd('INJ_FILE')}.json`,
  fileNameNewline: `nl\nFORGED-FILE ${cmd('INJ_FILE_NL')}.json`,
  attestationControl: `${cmd('INJ_ATTEST')}\nFORGED-ATTEST ##[error]forged`,
} as const;

const storage = (name: string, properties: Record<string, unknown>) => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-01-01',
  name,
  location: 'westeurope',
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties: { supportsHttpsTrafficOnly: false, ...properties },
});

const template = (resources: unknown[], parameters: Record<string, unknown> = {}) =>
  JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', parameters, resources }, null, 2);

/** A repository as an attacker would open a pull request with it. */
function hostileWorkspace(root: string): string {
  const ws = fs.mkdtempSync(path.join(root, 'ws-'));
  const infra = path.join(ws, 'infra');
  fs.mkdirSync(infra);
  fs.writeFileSync(
    path.join(infra, 'names.json'),
    template(
      [
        storage(VECTORS.nameInline, {}),
        storage(VECTORS.nameNewline, { minimumTlsVersion: VECTORS.propertyValue }),
        storage(VECTORS.nameReturn, { minimumTlsVersion: "[parameters('tls')]" }),
        { type: VECTORS.uncoveredType, apiVersion: '2023-01-01', name: 'bar', location: 'westeurope' },
      ],
      { tls: { type: 'string' } },
    ),
  );
  fs.writeFileSync(
    path.join(infra, 'names.parameters.json'),
    JSON.stringify({ $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters: { tls: { value: VECTORS.parameterValue } } }),
  );
  fs.writeFileSync(path.join(infra, 'expression.json'), template([storage(VECTORS.expression, {})]));
  fs.writeFileSync(path.join(infra, VECTORS.fileName), template([storage('plainname1', {})]));
  fs.writeFileSync(path.join(infra, VECTORS.fileNameNewline), template([storage('plainname2', {})]));
  fs.writeFileSync(
    path.join(ws, 'attestations.yml'),
    `attestations:\n  - control: ${JSON.stringify(VECTORS.attestationControl)}\n    justification: waiver\n    expiresOn: 2999-01-01\n`,
  );
  return ws;
}

const INJECTED = Object.keys(VECTORS).length;

/** Lines as the agent reads them (a lone CR ends a line too). */
function agentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function assertNoInjection(output: string, allowed: (command: string) => boolean): void {
  const lines = agentLines(output);
  const commands = lines.map(parseVsoLine).filter((c) => c !== undefined);
  const forged = commands.filter((c) => !allowed(c.command) || Object.values(c.properties).some((v) => v.startsWith('INJ_')));
  assert.deepEqual(forged, [], 'no command comes from template text');
  assert.deepEqual(lines.filter((l) => /##\s*\[/.test(l)), [], 'no ##[ formatting command');
  assert.deepEqual(lines.filter((l) => /^\s*FORGED/.test(l)), [], 'no value starts a line of its own');
  assert.ok(commands.filter((c) => c.command === 'task.complete').length <= 1, 'one task.complete at most');
}

describe('ArmTemplateSecurityGate: hostile template text never becomes a pipeline command', function () {
  this.timeout(180_000);
  let tmp: string;
  let v2: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-inject-'));
    const stageDir = path.join(tmp, 'stage');
    await buildExtension({ root: repoRoot(), stageDir, validate: false, log: () => undefined });
    v2 = path.join(stageDir, 'ArmTemplateSecurityGate', 'v2');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`the bundled v2 task: ${INJECTED} vectors, no forged command, no forged line`, async () => {
    const ws = hostileWorkspace(tmp);
    const r = await runTask({
      taskDir: v2,
      cwd: ws,
      inputs: { templates: 'infra/**/*.json', attestationFile: 'attestations.yml', reports: 'json', reportsFolder: 'out' },
      variables: { 'System.DefaultWorkingDirectory': ws },
    });
    // The scan did see the hostile values (so the test exercises them), and failed the gate.
    assert.equal(r.result, 'Failed', r.stdout);
    const report = fs.readFileSync(path.join(ws, 'out', 'armgate-results.json'), 'utf8');
    for (const [name, value] of Object.entries(VECTORS)) {
      const token = /INJ_[A-Z_]+|FORGED-[A-Z-]+/.exec(value)![0];
      assert.ok(report.includes(token), `the report holds the ${name} vector (${token})`);
    }
    const ours = new Set(['task.setvariable', 'task.logissue', 'task.issue', 'task.complete', 'task.setsecret', 'task.uploadsummary', 'task.addattachment', 'artifact.upload', 'results.publish', 'task.debug']);
    assertNoInjection(r.stdout, (c) => ours.has(c));
    assertNoInjection(r.stderr, () => false);
    assert.deepEqual(r.prependedPaths, []);
    assert.deepEqual(r.variables.filter((v) => v.name.startsWith('INJ_')), []);
    // Every value still reaches the log, visibly escaped.
    assert.match(r.stdout, /FORGED-NAME-N/);
    assert.match(r.stdout, /FORGED-FILE/);
    assert.match(r.stdout, /FORGED-ATTEST/);
    assert.match(r.stdout, /FORGED-EXPR/);
    assert.match(r.stdout, /Microsoft\.Foo\/bars/);
  });

  it(`armgate: ${INJECTED} vectors on stdout and stderr, no forged command, no forged line`, () => {
    const ws = hostileWorkspace(tmp);
    for (const format of ['console', 'json', 'markdown', 'csv', 'junit', 'sarif']) {
      const r = spawnSync(process.execPath, [path.join(repoRoot(), 'bin', 'armgate.js'), 'scan', 'infra', '--attestations', 'attestations.yml', '--root', '.', '--format', format, '--verbose'], {
        cwd: ws,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      assert.equal(r.status, 1, `${format}: ${r.stderr}`);
      assertNoInjection(r.stdout, () => false);
      assertNoInjection(r.stderr, () => false);
      assert.match(r.stdout, /FORGED-NAME-N/, format);
    }
  });
});
