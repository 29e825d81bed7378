#!/usr/bin/env node
'use strict';
/*
 * `armgate` launcher. Runs the prebuilt bundle dist/cli/armgate.js when it is up to date;
 * otherwise (a fresh clone after `npm ci`, or edited sources) bundles the TypeScript CLI with
 * esbuild's JS API into node_modules/.cache/armgate/ and runs that, so no build step is needed.
 */
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const entry = path.join(repo, 'tasks', 'ArmTemplateSecurityGate', 'cli', 'index.ts');
const prebuilt = path.join(repo, 'dist', 'cli', 'armgate.js');
const cached = path.join(repo, 'node_modules', '.cache', 'armgate', 'armgate.js');
const sourceDirs = [path.join(repo, 'tasks', 'ArmTemplateSecurityGate'), path.join(repo, 'tasks', 'common')];
const packageJson = path.join(repo, 'package.json');

function newestSource() {
  // package.json's version is compiled in (armgate --version), so it counts as a source.
  let newest = fs.existsSync(packageJson) ? fs.statSync(packageJson).mtimeMs : 0;
  const stack = sourceDirs.filter((d) => fs.existsSync(d));
  while (stack.length) {
    const dir = stack.pop();
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (/\.(ts|json)$/.test(e.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

function fresh(file, sourcesTime) {
  return fs.existsSync(file) && fs.statSync(file).mtimeMs >= sourcesTime;
}

function bundle() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    return undefined;
  }
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  // Written beside and renamed, so a concurrent run never loads half a file.
  const tmp = `${cached}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    define: { __SRK_BUNDLE_VERSION__: JSON.stringify(JSON.parse(fs.readFileSync(packageJson, 'utf8')).version) },
  });
  fs.renameSync(tmp, cached);
  return cached;
}

function locate() {
  const hasSources = fs.existsSync(entry);
  const sourcesTime = hasSources ? newestSource() : 0;
  if (fs.existsSync(prebuilt) && (!hasSources || fresh(prebuilt, sourcesTime))) return prebuilt;
  if (hasSources && fresh(cached, sourcesTime)) return cached;
  if (hasSources) {
    const built = bundle();
    if (built) return built;
  }
  if (fs.existsSync(prebuilt)) return prebuilt;
  process.stderr.write('armgate: no CLI bundle (dist/cli/armgate.js) and esbuild is not installed to build one; run `npm ci`.\n');
  process.exit(2);
}

require(locate()).run();
