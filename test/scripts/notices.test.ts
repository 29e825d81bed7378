import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExtension, BuildResult } from '../../scripts/build';
import { collectData, dataInNotices, licenseAllowed, listedInNotices, NOTICES_FILE, readmeLicenseSection, renderNotices, VENDORED_DATA } from '../../scripts/notices';
import { toolRoot } from '../../scripts/paths';
import { copyFixture, quiet, removeDir } from './helpers';

/** name@version of every node_modules package a bundle's sources come from, read independently of scripts/notices. */
function packagesIn(inputs: string[]): Set<string> {
  const out = new Set<string>();
  for (const input of inputs) {
    const posix = input.replace(/\\/g, '/');
    const i = posix.lastIndexOf('/node_modules/');
    if (i < 0) continue;
    const rest = posix.slice(i + '/node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    const pkg = JSON.parse(fs.readFileSync(`${posix.slice(0, i)}/node_modules/${name}/package.json`, 'utf8')) as { version: string };
    out.add(`${name}@${pkg.version}`);
  }
  return out;
}

function assertNoticesComplete(build: BuildResult): number {
  const root = new Set(listedInNotices(fs.readFileSync(path.join(build.stageDir, NOTICES_FILE), 'utf8')));
  let count = 0;
  for (const [key, b] of build.bundles) {
    const expected = packagesIn(b.inputs);
    const own = new Set(listedInNotices(fs.readFileSync(path.join(path.dirname(b.outfile), NOTICES_FILE), 'utf8')));
    for (const p of expected) {
      assert.ok(own.has(p), `${p} is in the bundle of ${key} but not in its ${NOTICES_FILE}`);
      assert.ok(root.has(p), `${p} is in the bundle of ${key} but not in the extension's ${NOTICES_FILE}`);
    }
    assert.deepStrictEqual([...own].sort(), [...expected].sort(), `${key}: notices list exactly the bundled packages`);
    count += expected.size;
  }
  return count;
}

/** A package in the copied root's node_modules, imported by the fixture's v1 task. */
function addPackage(root: string, name: string, pkg: Record<string, unknown>, files: Record<string, string> = {}): void {
  const dir = path.join(root, 'node_modules', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...pkg }));
  fs.writeFileSync(path.join(dir, 'index.js'), `module.exports = function () { return ${JSON.stringify(name)}; };\n`);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  const entry = path.join(root, 'tasks', 'FixtureEcho', 'v1', 'index.ts');
  const local = name.replace(/\W/g, '_');
  fs.writeFileSync(entry, `import ${local} = require(${JSON.stringify(name)});\nconsole.log(${local}());\n${fs.readFileSync(entry, 'utf8')}`);
}

describe('scripts/notices', () => {
  it('evaluates SPDX expressions against the allow-list', () => {
    for (const ok of ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', '(MIT OR GPL-3.0-only)', 'MIT AND ISC', '(MIT AND (ISC OR GPL-2.0))']) assert.ok(licenseAllowed(ok), ok);
    for (const bad of ['GPL-3.0-only', 'MIT AND GPL-3.0-only', 'LGPL-2.1', 'MPL-2.0', 'SEE LICENSE IN LICENSE.txt', 'UNLICENSED', '', 'GPL-2.0 WITH Classpath-exception-2.0', '(MIT', 'MIT OR']) {
      assert.ok(!licenseAllowed(bad), bad);
    }
  });

  it('finds the licence text in a README licence section (ATX or setext), not a bare name', () => {
    const mit = 'Copyright (c) 2013 Someone &lt;a@b&gt;\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software, to deal in the Software without restriction, subject to the following conditions: the above copyright notice shall be included.';
    assert.strictEqual(readmeLicenseSection(`# x\n\nLicense\n-------\n\n${mit}\n\nOther\n-----\nno`), mit.replace('&lt;', '<').replace('&gt;', '>'));
    assert.strictEqual(readmeLicenseSection(`# x\n## Licence\n${mit}\n## Next\nmore`), mit.replace('&lt;', '<').replace('&gt;', '>'));
    assert.strictEqual(readmeLicenseSection('# x\n## License\n\nMIT\n'), undefined);
  });

  it('writes notices listing exactly the packages in each bundle of the fixture, and in the extension', async () => {
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-notices-'));
    try {
      const root = copyFixture();
      try {
        const r = await buildExtension({ root, stageDir: path.join(stage, 'ext'), log: quiet });
        assert.ok(assertNoticesComplete(r) >= 4, 'task-lib and its dependencies are bundled');
        const text = fs.readFileSync(path.join(r.stageDir, NOTICES_FILE), 'utf8');
        assert.match(text, /^azure-pipelines-task-lib \d+\.\d+\.\d+\nLicence: MIT\n.*\nBundled in: FixtureEcho\/v1, FixtureEcho\/v2\n/m);
        assert.match(text, /Permission is hereby granted/);
        assert.ok((r.manifest.files ?? []).some((f) => f.path === NOTICES_FILE), 'the manifest carries the notices into the vsix');
      } finally {
        removeDir(root);
      }
    } finally {
      removeDir(stage);
    }
  });

  it('lists every package of every bundle of this repository in the notices', async function () {
    this.timeout(120_000);
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-notices-repo-'));
    try {
      const r = await buildExtension({ root: toolRoot(), stageDir: path.join(stage, 'ext'), validate: false, log: quiet });
      assert.deepStrictEqual(r.problems.filter((p) => /licen[cs]e/i.test(p.message)), [], 'no licence problem');
      assert.ok(assertNoticesComplete(r) > 20);
      // The gate's alias table is made from two projects' data: every bundle holding it credits both
      // (licence text verbatim), and no other bundle does.
      const aliasTable = path.join(toolRoot(), 'tasks', 'ArmTemplateSecurityGate', 'core', 'policy', 'alias-table.json');
      let gates = 0;
      for (const [key, b] of r.bundles) {
        const text = fs.readFileSync(path.join(path.dirname(b.outfile), NOTICES_FILE), 'utf8');
        const holds = b.inputs.some((i) => path.resolve(i) === aliasTable);
        assert.deepStrictEqual(dataInNotices(text), holds ? ['PSRule.Rules.Azure', 'azure-policy-aliases'] : [], key);
        if (!holds) continue;
        gates++;
        for (const d of VENDORED_DATA) assert.ok(text.includes(fs.readFileSync(path.join(toolRoot(), d.licenseFile), 'utf8').trim()), `${key}: the licence of ${d.name} verbatim`);
      }
      assert.ok(gates >= 2, `both gate versions hold the alias table (${gates})`);
      assert.deepStrictEqual(dataInNotices(fs.readFileSync(path.join(r.stageDir, NOTICES_FILE), 'utf8')), ['PSRule.Rules.Azure', 'azure-policy-aliases']);
    } finally {
      removeDir(stage);
    }
  });

  it('credits vendored data only in the bundles made from it, and names a missing licence text', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-data-'));
    try {
      fs.mkdirSync(path.join(root, 'data'));
      fs.writeFileSync(path.join(root, 'data', 'LICENSE.txt'), 'MIT License\n\nCopyright (c) 2026 Data People\n');
      const declared = [
        { name: 'table-source', what: 'rows of a table', source: 'https://example.org/t', license: 'MIT', licenseFile: 'data/LICENSE.txt', files: ['data/table.json'] },
        { name: 'lost-source', what: 'more rows', source: 'https://example.org/l', license: 'MIT', licenseFile: 'data/NOPE.txt', files: ['data/other.json'] },
        { name: 'unused-source', what: 'nothing bundled', source: 'https://example.org/u', license: 'MIT', licenseFile: 'data/LICENSE.txt', files: ['data/unused.json'] },
      ];
      const bundles = new Map([
        ['A/v1', [path.join(root, 'src', 'a.ts'), path.join(root, 'data', 'table.json')]],
        ['B/v1', [path.join(root, 'src', 'b.ts'), path.join(root, 'data', 'other.json')]],
        ['C/v1', [path.join(root, 'src', 'c.ts')]],
      ]);
      const r = collectData(bundles, root, declared);
      assert.deepStrictEqual(r.data.map((d) => [d.name, d.bundles]), [['table-source', ['A/v1']]]);
      assert.deepStrictEqual(r.problems.map((p) => p.message), ['the licence text of lost-source, bundled in B/v1, is missing']);
      const text = renderNotices('X', [], false, r.data);
      assert.deepStrictEqual(dataInNotices(text), ['table-source']);
      assert.deepStrictEqual(listedInNotices(text), [], 'data is not listed as a package');
      assert.match(text, /table-source \(data\)\nLicence: MIT\nSource: https:\/\/example\.org\/t\nUsed: rows of a table\n=+\n\nMIT License\n\nCopyright \(c\) 2026 Data People\n/);
    } finally {
      removeDir(root);
    }
  });

  describe('fails the build, naming the package', () => {
    let root: string;
    beforeEach(() => (root = copyFixture()));
    afterEach(() => removeDir(root));
    const build = (): Promise<BuildResult> => buildExtension({ root, stageDir: path.join(root, 'dist', 'extension'), log: quiet });

    it('on a licence that is not on the allow-list', async () => {
      addPackage(root, 'copyleft-dep', { license: 'GPL-3.0-only' }, { LICENSE: 'GNU GENERAL PUBLIC LICENSE' });
      await assert.rejects(build(), /node_modules\/copyleft-dep: copyleft-dep@1\.0\.0 is bundled under 'GPL-3\.0-only', which is not on the licence allow-list/);
    });

    it('on a package that declares no licence', async () => {
      addPackage(root, 'silent-dep', {});
      await assert.rejects(build(), /silent-dep@1\.0\.0 is bundled but declares no licence/);
    });

    it('on an allowed licence whose text is nowhere (no file, no README section, no standard text)', async () => {
      addPackage(root, 'textless-dep', { license: 'Apache-2.0' }, { 'README.md': '# textless\n\n## License\n\nApache-2.0\n' });
      await assert.rejects(build(), /textless-dep@1\.0\.0 \(Apache-2\.0\) ships no licence text/);
    });
  });

  it('uses the standard text with the author as holder when an MIT package ships none, and includes NOTICE files', async () => {
    const root = copyFixture();
    try {
      addPackage(root, 'bare-mit', { license: 'MIT', author: 'Ada Lovelace <ada@example.org>' });
      addPackage(root, 'apache-dep', { license: 'Apache-2.0' }, { 'LICENSE.txt': 'Apache License\nVersion 2.0, January 2004', NOTICE: 'apache-dep\nCopyright 2026 The Apache Dep Authors' });
      const r = await buildExtension({ root, stageDir: path.join(root, 'dist', 'extension'), log: quiet });
      const text = fs.readFileSync(path.join(r.stageDir, 'FixtureEcho', 'v1', NOTICES_FILE), 'utf8');
      assert.match(text, /^bare-mit 1\.0\.0\nLicence: MIT\nLicence text from: standard MIT text[^\n]*\n=+\n\nMIT License\n\nCopyright \(c\) Ada Lovelace\n/m);
      assert.match(text, /Licence text from: LICENSE\.txt; NOTICE\n=+\n\nApache License\nVersion 2\.0, January 2004\n\napache-dep\nCopyright 2026 The Apache Dep Authors/);
      assert.ok(!fs.readFileSync(path.join(r.stageDir, 'FixtureEcho', 'v2', NOTICES_FILE), 'utf8').includes('bare-mit'), 'v2 does not bundle it');
      assertNoticesComplete(r);
    } finally {
      removeDir(root);
    }
  });
});
