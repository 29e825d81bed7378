import * as fs from 'fs';
import * as path from 'path';
import { Benchmark, figure } from './types';

/**
 * vsix size against the Marketplace upload limit (26214400 bytes, "exceeds the maximum package size"),
 * and the bundles against the node_modules closure each version would ship unbundled: every file of
 * every package the bundle draws from, counted once per task version, as each version folder must be
 * self-contained.
 */

export const MARKETPLACE_LIMIT_BYTES = 26214400;

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += entry.name === 'node_modules' ? 0 : dirBytes(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

function packageDirs(inputs: string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const m = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs];
}

export const vsixSize: Benchmark = {
  name: 'vsix-size',
  async run(ctx) {
    const kib = (n: number): number => n / 1024;
    const bundles = [...ctx.packaged.build.bundles.values()];
    const bundleBytes = bundles.reduce((s, b) => s + b.bytes, 0);
    const closureBytes = bundles.reduce((s, b) => s + packageDirs(b.inputs).reduce((t, d) => t + dirBytes(d), 0), 0);
    return [
      figure('vsix-size', kib(ctx.packaged.bytes), 'KiB', kib(MARKETPLACE_LIMIT_BYTES)),
      figure('bundles-vs-node-modules', kib(bundleBytes), 'KiB', kib(closureBytes)),
    ];
  },
};
