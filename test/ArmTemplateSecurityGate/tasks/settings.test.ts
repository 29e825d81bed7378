import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { InputError } from '../../../tasks/common/errors';
import type { TaskHost } from '../../../tasks/common/host/task-host';
import { parseSkipFile } from '../../../tasks/ArmTemplateSecurityGate/core/skip-file';
import { readSettings as readSettingsV1 } from '../../../tasks/ArmTemplateSecurityGate/v1/settings';
import { readSettings as readSettingsV2 } from '../../../tasks/ArmTemplateSecurityGate/v2/settings';
import { inputsOf } from '../../helpers/fake-host';

const readV1 = (h: TaskHost) => readSettingsV1(inputsOf(h));
const readV2 = (h: TaskHost) => readSettingsV2(inputsOf(h));

/** Inputs and variables as the agent hands them over; filePath inputs left empty arrive as the sources folder. */
function host(inputs: Record<string, string>, variables: Record<string, string> = {}): TaskHost {
  const vars = { 'System.DefaultWorkingDirectory': '/agent/s', 'Agent.TempDirectory': '/agent/tmp', ...variables };
  return {
    getInput: (n) => inputs[n]?.trim() || undefined,
    getSecretInput: (n) => inputs[n]?.trim() || undefined,
    filePathSupplied: (n) => Boolean(inputs[n]?.trim()),
    getVariable: (n) => vars[n as keyof typeof vars],
  } as Partial<TaskHost> as TaskHost;
}

function rejects(fn: () => unknown, input: string, expected: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && e.input === input && expected.test(e.message));
}

describe('ArmTemplateSecurityGate settings', () => {
  describe('v1 (AzSK inputs)', () => {
    it('maps the AzSK inputs onto scan options', () => {
      const s = readV1(host({ ARMTemplateFilePath: '/agent/s/infra', ARMTemplateParameterFilePath: '/agent/s/params', Recurse: 'true', ExcludeFiles: 'a.json, b.json', TreatAsPassed: 'Verify,Manual', FailTaskIfNoControlsScanned: 'true' }));
      assert.deepEqual(s.scan.paths, ['/agent/s/infra']);
      assert.equal(s.scan.root, path.resolve('/agent/s'));
      assert.equal(s.scan.parametersFile, '/agent/s/params');
      assert.equal(s.scan.recurse, true);
      assert.deepEqual(s.scan.exclude, ['a.json', 'b.json']);
      assert.deepEqual(s.scan.treatAsPassed, ['unknown', 'unknown']);
      assert.equal(s.scan.failIfNoControlsScanned, true);
      assert.equal(s.scan.unknownPolicy, 'fail');
      assert.deepEqual(s.reports, ['csv', 'markdown']);
      assert.equal(s.reportsFolder, path.join('/agent/tmp', 'ArmTemplateSecurityGate'));
    });

    it('falls back to the AzSK pipeline variables', () => {
      const s = readV1(host({ ARMTemplateFilePath: 'x.json' }, { TreatAsPassed: 'Error', FailTaskIfNoControlsScanned: 'true' }));
      assert.deepEqual(s.scan.treatAsPassed, ['error']);
      assert.equal(s.scan.failIfNoControlsScanned, true);
      assert.equal(s.scan.recurse, false);
      assert.equal(s.scan.parametersFile, undefined);
    });

    it('rejects bad values naming the input', () => {
      rejects(() => readV1(host({})), 'ARMTemplateFilePath', /required/);
      rejects(() => readV1(host({ ARMTemplateFilePath: 'x', Recurse: 'yes' })), 'Recurse', /expected true or false, got 'yes'/);
      rejects(() => readV1(host({ ARMTemplateFilePath: 'x', TreatAsPassed: 'Verify,Sometimes' })), 'TreatAsPassed', /got 'Sometimes'/);
    });

    it('a TreatAsPassed status named like an Object.prototype member is an input error, not a function in the set', () => {
      for (const status of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        rejects(() => readV1(host({ ARMTemplateFilePath: 'x', TreatAsPassed: status })), 'TreatAsPassed', new RegExp(`got '${status}'`));
        rejects(() => readV1(host({ ARMTemplateFilePath: 'x' }, { TreatAsPassed: `Verify,${status}` })), 'TreatAsPassed', new RegExp(`got '${status}'`));
      }
    });

    it('the FailTaskIfNoControlsScanned variable still works when the input holds task.json\'s default, as the agent always sends it', () => {
      assert.equal(readV1(host({ ARMTemplateFilePath: 'x.json', FailTaskIfNoControlsScanned: 'false' }, { FailTaskIfNoControlsScanned: 'true' })).scan.failIfNoControlsScanned, true);
      assert.equal(readV1(host({ ARMTemplateFilePath: 'x.json', FailTaskIfNoControlsScanned: 'false' }, { FailTaskIfNoControlsScanned: 'false' })).scan.failIfNoControlsScanned, false);
      assert.equal(readV1(host({ ARMTemplateFilePath: 'x.json', FailTaskIfNoControlsScanned: 'false' })).scan.failIfNoControlsScanned, false);
      assert.equal(readV1(host({ ARMTemplateFilePath: 'x.json', FailTaskIfNoControlsScanned: 'true' }, { FailTaskIfNoControlsScanned: 'false' })).scan.failIfNoControlsScanned, true);
    });

    it('a FailTaskIfNoControlsScanned variable that is not true or false names the input', () => {
      rejects(() => readV1(host({ ARMTemplateFilePath: 'x' }, { FailTaskIfNoControlsScanned: 'yes' })), 'FailTaskIfNoControlsScanned', /expected true or false/);
    });
  });

  describe('v2', () => {
    it('reads globs, mapping, policy and reports', () => {
      const s = readV2(
        host({
          templates: 'infra/**/*.json\n# comment\nmain.json',
          parameterMapping: 'infra/web*.json => params/web.json\nmain.json=params/main.json',
          linkedTemplates: 'https://example.org/t/child.json => infra/child.json',
          baseline: '2026-11',
          severityThreshold: 'HIGH',
          unknownPolicy: 'fail',
          attestationFile: 'security/attest.yml',
          skipControls: 'a, b',
          reports: 'json,csv',
          publishSarif: 'true',
          maxAnnotations: '10',
        }),
      );
      assert.deepEqual(s.scan.paths, ['infra/**/*.json', 'main.json']);
      assert.deepEqual(s.scan.parameterMap, [{ template: 'infra/web*.json', parameters: 'params/web.json' }, { template: 'main.json', parameters: 'params/main.json' }]);
      assert.deepEqual(s.scan.linkedTemplateMap, { 'https://example.org/t/child.json': 'infra/child.json' });
      assert.equal(s.scan.severityThreshold, 'high');
      assert.equal(s.scan.unknownPolicy, 'fail');
      assert.equal(s.scan.attestationsFile, 'security/attest.yml');
      assert.deepEqual(s.scan.skipControls, ['a', 'b']);
      assert.deepEqual(s.reports, ['json', 'csv', 'sarif']);
      assert.equal(s.maxAnnotations, 10);
      assert.equal(s.publishTestResults, true);
    });

    it('rejects bad values naming the input', () => {
      rejects(() => readV2(host({ templates: ' ' })), 'templates', /required/);
      rejects(() => readV2(host({ templates: 'x', baseline: 'newest' })), 'baseline', /latest, 2026-11 or a date/);
      rejects(() => readV2(host({ templates: 'x', severityThreshold: 'critical' })), 'severityThreshold', /one of low, medium, high/);
      rejects(() => readV2(host({ templates: 'x', reports: 'sarif,pdf' })), 'reports', /got 'pdf'/);
      rejects(() => readV2(host({ templates: 'x', parameterMapping: 'just-a-file.json' })), 'parameterMapping', /line 1: expected 'key = value' or 'key => value'/);
      rejects(() => readV2(host({ templates: 'x', parameterMapping: 'a.json => p.json\na.json = q.json' })), 'parameterMapping', /line 2: 'a\.json' is given twice/);
      rejects(() => readV2(host({ templates: 'x', maxAnnotations: '-1' })), 'maxAnnotations', /whole number from 0 to 1000/);
      rejects(() => readV2(host({ templates: 'x', publishSarif: 'TRUE!' })), 'publishSarif', /true or false/);
    });
  });

  describe('AzSK skip file', () => {
    it('reads ControlId rows, narrowing by FilePath and ResourceName', () => {
      const rules = parseSkipFile(
        '\uFEFFControlId,FeatureName,Status,FilePath,ResourceName\r\nAzure_Storage_DP_Encrypt_In_Transit,Storage,Failed,"D:\\a\\1\\s\\infra\\st.json",\r\nstorage-min-tls-version,Storage,Failed,,"stg, main"\r\n',
        'skip.csv',
      );
      assert.deepEqual(rules, [
        { control: 'Azure_Storage_DP_Encrypt_In_Transit', file: '**/infra/st.json' },
        { control: 'storage-min-tls-version', resourceName: 'stg, main' },
      ]);
    });

    it('names the file and line of a problem', () => {
      assert.throws(() => parseSkipFile('Id,Status\nx,Failed\n', 'skip.csv'), /skip\.csv:1: the header row has no 'ControlId' column/);
      assert.throws(() => parseSkipFile('ControlId,Status\nx,Failed\n,Failed\n', 'skip.csv'), /skip\.csv:3: empty 'ControlId'/);
      // Lines, not rows: a message cell spanning lines (as our own CSV writes them) and blank lines count.
      assert.throws(() => parseSkipFile('ControlId,Message\r\nx,"two\r\nlines"\r\n\r\n,Failed\r\n', 'skip.csv'), /skip\.csv:5: empty 'ControlId'/);
      assert.throws(() => parseSkipFile('ControlId,Message\nx,ok\ny,"never closed\nz,more\n', 'skip.csv'), /skip\.csv:3: a quoted cell is never closed/);
    });
  });
});
