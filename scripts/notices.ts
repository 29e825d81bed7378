import * as fs from 'fs';
import * as path from 'path';
import { rel, toolRoot } from './paths';
import { Problem } from './validate';

/**
 * Third-party notices from what the bundles actually contain. esbuild's metafile names every source
 * file of a bundle; the node_modules package each one belongs to is a package we redistribute, so
 * its licence (MIT, BSD and Apache all require it) must travel in the same package. The build fails
 * on a package whose licence is missing or not on ALLOWED_LICENSES, or whose text cannot be found.
 */

/**
 * Permissive licences whose only conditions are keeping the notice (and, for Apache-2.0, the NOTICE
 * file and a statement of changes, which we never make to bundled code). Copyleft licences (GPL,
 * LGPL, AGPL, MPL, EPL, CDDL…), licences for non-code works (CC-*) and public-domain dedications
 * of uncertain legal effect (Unlicense, WTFPL) are deliberately absent: adding one is a decision
 * for a person, made here with a reason in the commit.
 */
export const ALLOWED_LICENSES = ['MIT', 'MIT-0', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', 'BlueOak-1.0.0'] as const;

/** Standard texts (scripts/licenses/<id>.txt) for a package that declares one of these but ships no text. */
const TEMPLATE_LICENSES = ['MIT', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause'];

export interface BundledPackage {
  name: string;
  version: string;
  /** Folder of the package (absolute). */
  dir: string;
  /** SPDX expression as declared (package.json `license`, or legacy `licenses` joined with OR). */
  license?: string;
  /** Licence text(s), then NOTICE file(s), as shipped in the notices. */
  text: string;
  /** Where the text came from: file names in the package, its README's licence section, or the standard text. */
  textSource: string;
  homepage?: string;
  /** Keys (`<Task>/v<N>`, `cli`) of the bundles that contain it. */
  bundles: string[];
}

/** The node_modules package a source file belongs to (the innermost node_modules wins). */
export function packageRootOf(file: string): { name: string; dir: string } | undefined {
  const posix = file.replace(/\\/g, '/');
  const m = /^(.*\/node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(posix);
  return m ? { name: m[2], dir: path.normalize(m[1] + m[2]) } : undefined;
}

/** Evaluates an SPDX expression (`MIT`, `(MIT OR Apache-2.0)`, `MIT AND ISC`) against the allow-list. */
export function licenseAllowed(expression: string, allowed: readonly string[] = ALLOWED_LICENSES): boolean {
  const tokens = expression.replace(/[()]/g, (p) => ` ${p} `).trim().split(/\s+/).filter(Boolean);
  let i = 0;
  const ok = new Set(allowed.map((a) => a.toLowerCase()));
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === '(') {
      const v = orExpr();
      if (tokens[i++] !== ')') throw new Error('unbalanced parentheses');
      return v;
    }
    if (t === undefined || /^(AND|OR|WITH|\))$/i.test(t)) throw new Error(`unexpected ${t ?? 'end'}`);
    // An exception (X WITH Y) changes the terms; none is pre-approved.
    if (/^WITH$/i.test(tokens[i] ?? '')) {
      i += 2;
      return false;
    }
    return ok.has(t.replace(/\+$/, '').toLowerCase());
  };
  const andExpr = (): boolean => {
    let v = primary();
    while (/^AND$/i.test(tokens[i] ?? '')) {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (/^OR$/i.test(tokens[i] ?? '')) {
      i++;
      v = andExpr() || v;
    }
    return v;
  };
  try {
    const v = orExpr();
    return i === tokens.length && v;
  } catch {
    return false;
  }
}

interface PackageJson {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: Array<{ type?: string }> | string;
  author?: string | { name?: string };
  homepage?: string;
  repository?: string | { url?: string };
}

function declaredLicense(pkg: PackageJson): string | undefined {
  if (typeof pkg.license === 'string' && pkg.license.trim()) return pkg.license.trim();
  if (pkg.license && typeof pkg.license === 'object' && pkg.license.type) return pkg.license.type;
  if (typeof pkg.licenses === 'string') return pkg.licenses;
  // The legacy array meant "available under each of these".
  if (Array.isArray(pkg.licenses) && pkg.licenses.length) return pkg.licenses.map((l) => l.type).filter(Boolean).join(' OR ');
  return undefined;
}

function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
}

/** The "License" section of a README (ATX `## License` or setext `License\n-----`), when it holds more than the licence's name. */
export function readmeLicenseSection(readme: string): string | undefined {
  const lines = normalizeText(readme).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const atx = /^(#{1,6})\s+licen[sc]e\b/i.exec(lines[i]);
    const setext = /^licen[sc]e\s*$/i.test(lines[i]) && /^(=+|-+)\s*$/.test(lines[i + 1] ?? '');
    if (!atx && !setext) continue;
    const level = atx ? atx[1].length : lines[i + 1].startsWith('=') ? 1 : 2;
    const body: string[] = [];
    for (let j = i + (setext ? 2 : 1); j < lines.length; j++) {
      const h = /^(#{1,6})\s/.exec(lines[j]);
      const nextSetext = /^(=+|-+)\s*$/.test(lines[j + 1] ?? '') && lines[j].trim() !== '';
      if ((h && h[1].length <= level) || nextSetext) break;
      body.push(lines[j]);
    }
    const text = body.join('\n').trim();
    if (/permission|copyright|redistribution/i.test(text) && text.length > 200) return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return undefined;
}

function authorName(pkg: PackageJson): string | undefined {
  const a = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
  return a?.replace(/\s*[<(].*$/, '').trim() || undefined;
}

function licenseTemplate(id: string): string | undefined {
  if (!TEMPLATE_LICENSES.includes(id)) return undefined;
  return fs.readFileSync(path.join(toolRoot(), 'scripts', 'licenses', `${id}.txt`), 'utf8');
}

function homepageOf(pkg: PackageJson): string | undefined {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return pkg.homepage ?? repo?.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** Reads one package's licence facts; problems name the package and what is wrong. */
export function readPackageLicense(dir: string, root: string): { pkg?: Omit<BundledPackage, 'bundles'>; problems: Problem[] } {
  const where = rel(root, dir);
  const pkgFile = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgFile)) return { problems: [{ file: where, message: 'bundled code from a folder without package.json; its licence is unknown' }] };
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as PackageJson;
  const name = pkg.name ?? path.basename(dir);
  const version = pkg.version ?? '0.0.0';
  const license = declaredLicense(pkg);
  const id = `${name}@${version}`;
  if (!license) return { problems: [{ file: where, message: `${id} is bundled but declares no licence (package.json "license")` }] };
  if (!licenseAllowed(license)) {
    return { problems: [{ file: where, message: `${id} is bundled under '${license}', which is not on the licence allow-list (${ALLOWED_LICENSES.join(', ')}; scripts/notices.ts)` }] };
  }
  const entries = fs.readdirSync(dir).sort();
  const licenseFiles = entries.filter((f) => /^(licen[sc]e|copying)([.-]|$)/i.test(f) && fs.statSync(path.join(dir, f)).isFile());
  const noticeFiles = entries.filter((f) => /^notice([.-]|$)/i.test(f) && fs.statSync(path.join(dir, f)).isFile());
  let text = licenseFiles.map((f) => normalizeText(fs.readFileSync(path.join(dir, f), 'utf8'))).join('\n\n');
  let textSource = licenseFiles.join(', ');
  if (!text) {
    const readme = entries.find((f) => /^readme(\.md|\.markdown|\.txt)?$/i.test(f));
    const section = readme ? readmeLicenseSection(fs.readFileSync(path.join(dir, readme), 'utf8')) : undefined;
    if (section) {
      text = section;
      textSource = `${readme}, licence section`;
    }
  }
  if (!text) {
    const template = licenseTemplate(license.replace(/^\((.*)\)$/, '$1'));
    if (!template) {
      return { problems: [{ file: where, message: `${id} (${license}) ships no licence text (no LICENSE file, no licence section in its README) and there is no standard ${license} text in scripts/licenses/` }] };
    }
    const holder = authorName(pkg) ?? `the ${name} authors`;
    text = normalizeText(template.replace('{{copyright}}', `Copyright (c) ${holder}`));
    textSource = `standard ${license} text (the package ships none; copyright holder from its package.json)`;
  }
  for (const f of noticeFiles) text += `\n\n${normalizeText(fs.readFileSync(path.join(dir, f), 'utf8'))}`;
  if (noticeFiles.length) textSource += `; ${noticeFiles.join(', ')}`;
  return { pkg: { name, version, dir, license, text, textSource, homepage: homepageOf(pkg) }, problems: [] };
}

/** Every package in the given bundles (key → source files), with its licence, sorted by name and version. */
export function collectPackages(bundles: Map<string, string[]>, root: string): { packages: BundledPackage[]; problems: Problem[] } {
  const byDir = new Map<string, Set<string>>();
  for (const [key, inputs] of bundles) {
    for (const input of inputs) {
      const p = packageRootOf(input);
      if (p) byDir.set(p.dir, (byDir.get(p.dir) ?? new Set()).add(key));
    }
  }
  const packages: BundledPackage[] = [];
  const problems: Problem[] = [];
  for (const [dir, keys] of byDir) {
    const r = readPackageLicense(dir, root);
    problems.push(...r.problems);
    if (r.pkg) packages.push({ ...r.pkg, bundles: [...keys].sort() });
  }
  // Two copies of one name@version (nested installs) are one entry for the reader.
  const merged = new Map<string, BundledPackage>();
  for (const p of packages) {
    const k = `${p.name}@${p.version}`;
    const seen = merged.get(k);
    if (seen) seen.bundles = [...new Set([...seen.bundles, ...p.bundles])].sort();
    else merged.set(k, p);
  }
  const sorted = [...merged.values()].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.version.localeCompare(b.version, 'en', { numeric: true }));
  return { packages: sorted, problems };
}

/**
 * Data the bundles carry that is not an npm package: files of this repository made from other
 * projects' published data. A bundle whose sources include one of `files` carries the entry's
 * notice, with the licence text kept verbatim (with its source commit) in `licenseFile`.
 */
export interface VendoredData {
  /** One word (it is listed as `* <name>`). */
  name: string;
  /** What of it is used, for the reader. */
  what: string;
  source: string;
  license: string;
  /** Repository-relative path of the licence text, copied byte for byte from `source`. */
  licenseFile: string;
  /** Repository-relative paths of the files made from it. */
  files: string[];
}

export const VENDORED_DATA: VendoredData[] = [
  {
    name: 'PSRule.Rules.Azure',
    what: 'policy aliases and their paths from its provider data (data/providers/<namespace>/types.json), in the gate\'s alias table',
    source: 'https://github.com/Azure/PSRule.Rules.Azure (licence text at commit 5b53966c5698ddc88891041b9cf8569fb4cfa2fd; data commits in scripts/policy-aliases/README.md)',
    license: 'MIT',
    licenseFile: 'scripts/policy-aliases/licenses/PSRule.Rules.Azure-LICENSE.txt',
    files: ['tasks/ArmTemplateSecurityGate/core/policy/alias-table.json'],
  },
  {
    name: 'azure-policy-aliases',
    what: 'policy aliases and their paths as Get-AzPolicyAlias returns them (aliases/<Namespace>/<type>.md), in the gate\'s alias table',
    source: 'https://github.com/jeircul/azure-policy-aliases (licence text at commit d88916ce2f29f5c0367863474bc15e5c78656896; data commits in scripts/policy-aliases/get-azpolicyalias/sources.json)',
    license: 'MIT',
    licenseFile: 'scripts/policy-aliases/licenses/azure-policy-aliases-LICENSE.txt',
    files: ['tasks/ArmTemplateSecurityGate/core/policy/alias-table.json'],
  },
];

export interface BundledData extends VendoredData {
  text: string;
  /** Keys of the bundles that contain it. */
  bundles: string[];
}

/** The vendored data in the given bundles (key → absolute source files), with licence texts. */
export function collectData(bundles: Map<string, string[]>, root: string, declared: readonly VendoredData[] = VENDORED_DATA): { data: BundledData[]; problems: Problem[] } {
  const data: BundledData[] = [];
  const problems: Problem[] = [];
  for (const d of declared) {
    const files = new Set(d.files.map((f) => path.resolve(root, f)));
    const keys = [...bundles].filter(([, inputs]) => inputs.some((i) => files.has(path.resolve(root, i)))).map(([k]) => k).sort();
    if (keys.length === 0) continue;
    const licenseFile = path.resolve(root, d.licenseFile);
    if (!licenseAllowed(d.license)) problems.push({ file: rel(root, licenseFile), message: `${d.name} is bundled under '${d.license}', which is not on the licence allow-list` });
    if (!fs.existsSync(licenseFile)) {
      problems.push({ file: rel(root, licenseFile), message: `the licence text of ${d.name}, bundled in ${keys.join(', ')}, is missing` });
      continue;
    }
    data.push({ ...d, text: normalizeText(fs.readFileSync(licenseFile, 'utf8')), bundles: keys });
  }
  return { data, problems };
}

const RULE = '='.repeat(78);

/** The notices text: a header, a table of contents, then each package with its licence text. Deterministic. */
export function renderNotices(product: string, packages: BundledPackage[], showBundles: boolean, data: BundledData[] = []): string {
  const out = [
    `${product}: third-party notices`,
    '',
    `${product} bundles the open-source packages listed below${data.length ? ', and data from the projects listed after them' : ''}. Each is redistributed under its own`,
    'licence, reproduced here in full. This file is generated at package time from the bundles\' contents.',
    '',
  ];
  for (const p of packages) out.push(`- ${p.name} ${p.version} (${p.license})`);
  if (data.length) out.push('', 'Data:');
  for (const d of data) out.push(`* ${d.name} (${d.license}): ${d.what}`);
  for (const p of packages) {
    out.push('', RULE, `${p.name} ${p.version}`, `Licence: ${p.license}`);
    if (p.homepage) out.push(`Source: ${p.homepage}`);
    if (showBundles) out.push(`Bundled in: ${p.bundles.join(', ')}`);
    out.push(`Licence text from: ${p.textSource}`, RULE, '', p.text);
  }
  for (const d of data) {
    out.push('', RULE, `${d.name} (data)`, `Licence: ${d.license}`, `Source: ${d.source}`);
    if (showBundles) out.push(`Bundled in: ${d.bundles.join(', ')}`);
    out.push(`Used: ${d.what}`, RULE, '', d.text);
  }
  return `${out.join('\n')}\n`;
}

/** The names of the data a notices file lists (`* <name> (`). */
export function dataInNotices(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\* (\S+) \(/.exec(line);
    if (m) out.push(m[1]);
    else if (line.startsWith(RULE)) break;
  }
  return out;
}

/** The `name version` pairs a notices file lists (its table of contents), for checks. */
export function listedInNotices(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^- (\S+) (\S+) \(/.exec(line);
    if (m) out.push(`${m[1]}@${m[2]}`);
    else if (line.startsWith(RULE)) break;
  }
  return out;
}

export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.txt';
