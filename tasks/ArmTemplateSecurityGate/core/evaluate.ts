/**
 * The one entry point the task and the CLI share: the scan bound to the real engine and
 * control catalogue.
 */
import { controls } from './controls';
import { createCheckContext } from './controls/context';
import { classifyJsonText, findParameterFile, loadAndEvaluate } from './engine';
import { scanWith } from './scan';
import type { EvaluateOptions, GateDeps, GateEngine, ScanResult } from './scan-types';

export function realEngine(deps: GateDeps): GateEngine {
  const fs = { readFile: (p: string) => deps.fs.readFile(p), exists: (p: string) => deps.fs.exists(p) };
  return {
    controls,
    classify: (_file, text) => classifyJsonText(text),
    findParameterFile: (templatePath) => findParameterFile(templatePath, fs),
    loadAndEvaluate: (file, options) => loadAndEvaluate(file, { ...options, fs }),
  };
}

export function evaluate(options: EvaluateOptions, deps: GateDeps): ScanResult {
  return scanWith(options, deps, realEngine(deps), createCheckContext);
}
