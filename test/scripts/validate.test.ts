import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { buildExtension } from '../../scripts/build';
import { loadSchemas, Problem, ValidationError, validateExtension, visibleRuleInputs } from '../../scripts/validate';
import { copyFixture, editJson, quiet, removeDir } from './helpers';

const V1 = 'tasks/FixtureEcho/v1';
const V2 = 'tasks/FixtureEcho/v2';

/** Builds the mutated copy and returns the problems the build reported. */
async function buildProblems(root: string): Promise<Problem[]> {
  try {
    await buildExtension({ root, log: quiet });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

function expectProblem(problems: Problem[], file: string | RegExp, message: RegExp): void {
  const hit = problems.find((p) => (typeof file === 'string' ? p.file === file : file.test(p.file)) && message.test(p.message));
  assert.ok(hit, `expected a problem in ${String(file)} matching ${String(message)}; got:\n${problems.map((p) => `${p.file}: ${p.message}`).join('\n')}`);
}

describe('scripts/validate', () => {
  let root: string;
  beforeEach(() => (root = copyFixture()));
  afterEach(() => removeDir(root));

  it('accepts the fixture extension as it is', async () => {
    assert.deepStrictEqual(validateExtension({ root }), []);
    assert.deepStrictEqual(await buildProblems(root), []);
  });

  it('reports a task.json that breaks the schema, naming the file and property', async () => {
    editJson(path.join(root, V1, 'task.json'), (j) => (j.unexpectedField = 1));
    expectProblem(await buildProblems(root), `${V1}/task.json`, /task\.json schema.*additional properties 'unexpectedField'/);
  });

  it('reports task.json that is not JSON with line and column', async () => {
    fs.writeFileSync(path.join(root, V1, 'task.json'), '{\n  "id": "x",\n  oops\n}');
    expectProblem(await buildProblems(root), `${V1}/task.json`, /^tasks\/FixtureEcho\/v1\/task\.json:3:\d+: invalid JSON/);
  });

  it('reports a manifest that breaks the vss-extension schema', async () => {
    editJson(path.join(root, 'vss-extension.json'), (j) => (j.manifestVersion = 'one'));
    expectProblem(await buildProblems(root), /dist\/extension\/vss-extension\.json$/, /vss-extension schema at \/manifestVersion/);
  });

  it('reports versions that disagree on id or name', async () => {
    editJson(path.join(root, V2, 'task.json'), (j) => {
      j.id = '11111111-2222-3333-4444-555555555555';
      j.name = 'OtherName';
    });
    const problems = await buildProblems(root);
    expectProblem(problems, `${V2}/task.json`, /^id .* differs from tasks\/FixtureEcho\/v1\/task\.json/);
    expectProblem(problems, `${V2}/task.json`, /^name "OtherName" differs/);
  });

  it('reports two versions sharing a Major, and a Major that contradicts its folder', async () => {
    editJson(path.join(root, V2, 'task.json'), (j) => (j.version = { Major: 1, Minor: 0, Patch: 0 }));
    const problems = await buildProblems(root);
    expectProblem(problems, `${V2}/task.json`, /version\.Major 1 is also used by tasks\/FixtureEcho\/v1\/task\.json/);
    expectProblem(problems, `${V2}/task.json`, /version\.Major is 1 but the folder is v2/);
  });

  it('reports an execution target missing from the staged output', async () => {
    editJson(path.join(root, V1, 'task.json'), (j) => (j.prejobexecution = { Node20_1: { target: 'pre.js' } }));
    expectProblem(await buildProblems(root), 'dist/extension', /prejobexecution\.Node20_1 target FixtureEcho\/v1\/pre\.js is missing/);
  });

  it('reports a friendlyName over 40 characters', async () => {
    editJson(path.join(root, V1, 'task.json'), (j) => (j.friendlyName = 'A friendly name that is far too long to show'));
    expectProblem(await buildProblems(root), `${V1}/task.json`, /friendlyName is 44 characters; the limit is 40/);
  });

  it('reports a visibleRule naming an unknown input', async () => {
    editJson(path.join(root, V2, 'task.json'), (j) => {
      (j.inputs as Array<Record<string, unknown>>)[4].visibleRule = 'outcome == succeed && mode != fast';
    });
    expectProblem(await buildProblems(root), `${V2}/task.json`, /visibleRule of input 'sleepMs' names unknown input 'mode'/);
  });

  it('reports a missing Node24 or Node20_1 handler', async () => {
    editJson(path.join(root, V1, 'task.json'), (j) => (j.execution = { Node16: { target: 'index.js' } }));
    expectProblem(await buildProblems(root), `${V1}/task.json`, /execution lacks the Node20_1 and Node24 handler/);
  });

  it('reports a loc key used in code but absent from messages, with file:line', async () => {
    fs.appendFileSync(path.join(root, V1, 'index.ts'), "console.log(tl.loc('NotInMessages'));\n");
    expectProblem(await buildProblems(root), `${V1}/index.ts:9`, /loc key 'NotInMessages' is not in tasks\/FixtureEcho\/v1\/task\.json messages/);
  });

  it("applies tfx's rules: UUID id, name pattern, instanceNameFormat", async () => {
    editJson(path.join(root, V1, 'task.json'), (j) => {
      j.id = 'not-a-uuid';
      j.name = 'Fixture Echo';
      delete j.instanceNameFormat;
    });
    const problems = await buildProblems(root);
    expectProblem(problems, `${V1}/task.json`, /^id must be a UUID/);
    expectProblem(problems, `${V1}/task.json`, /^name must match/);
    expectProblem(problems, `${V1}/task.json`, /^instanceNameFormat is missing/);
  });

  it('fails a bundle with a dynamic require it cannot resolve', async () => {
    fs.appendFileSync(path.join(root, V1, 'index.ts'), "const modName = process.argv[2] ?? 'x';\nrequire(modName);\n");
    expectProblem(await buildProblems(root), `${V1}/index.ts:10`, /require/);
  });

  it('fails a bundle holding two copies of azure-pipelines-task-lib', async () => {
    const vendored = path.join(root, V1, 'vendor', 'node_modules', 'azure-pipelines-task-lib');
    fs.mkdirSync(vendored, { recursive: true });
    fs.writeFileSync(path.join(vendored, 'package.json'), '{"name":"azure-pipelines-task-lib","version":"4.0.0","main":"task.js"}');
    fs.writeFileSync(path.join(vendored, 'task.js'), 'exports.marker = 1;\n');
    fs.writeFileSync(path.join(root, V1, 'vendor', 'use.js'), "module.exports = require('azure-pipelines-task-lib').marker;\n");
    fs.appendFileSync(path.join(root, V1, 'index.ts'), "console.log(require('./vendor/use.js'));\n");
    expectProblem(await buildProblems(root), `${V1}/index.ts`, /bundle holds 2 copies of azure-pipelines-task-lib/);
  });

  it('reports an import esbuild cannot resolve with file:line:column', async () => {
    fs.appendFileSync(path.join(root, V1, 'index.ts'), "import './no-such-module';\n");
    expectProblem(await buildProblems(root), `${V1}/index.ts:9:8`, /Could not resolve "\.\/no-such-module"/);
  });

  it('fails clearly when the schemas folder is absent', () => {
    assert.throws(() => loadSchemas(path.join(root, 'no-such-folder')), /schema not found: .*no-such-folder.*task\.schema\.json/);
  });

  it('parses the input names of visibleRule expressions', () => {
    assert.deepStrictEqual(visibleRuleInputs('a == x && b != two words || c NotEndsWith .zip'), ['a', 'b', 'c']);
  });
});
