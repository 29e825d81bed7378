/**
 * The one entry point the task and the CLI share: the scan bound to the real engine and
 * control catalogue.
 */
import { controls } from './controls';
import { createCheckContext } from './controls/context';
import { classifyJsonText, findParameterFile, loadAndEvaluate } from './engine';
import { scanWith } from './scan';
import type { EvaluateOptions, GateDeps, GateEngine, ScanResult } from './scan-types';

const TOP_SCHEMA = /^\s*\{\s*"\$schema"\s*:\s*"([^"]*)"/;

/**
 * Most templates and parameter files open with their `$schema`; reading it there spares a full
 * parse of every file just to classify it (the engine parses templates again anyway). Anything
 * else goes to the engine's classifier.
 */
export function classify(text: string): 'template' | 'parameters' | 'other' {
  const m = TOP_SCHEMA.exec(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (m) {
    if (/deploymentTemplate\.json/i.test(m[1])) return 'template';
    if (/deploymentParameters\.json/i.test(m[1])) return 'parameters';
  }
  return classifyJsonText(text);
}

export function realEngine(deps: GateDeps): GateEngine {
  const fs = { readFile: (p: string) => deps.fs.readFile(p), exists: (p: string) => deps.fs.exists(p) };
  return {
    controls,
    classify: (_file, text) => classify(text),
    findParameterFile: (templatePath) => findParameterFile(templatePath, fs),
    loadAndEvaluate: (file, options) => loadAndEvaluate(file, { ...options, fs }),
  };
}

export function evaluate(options: EvaluateOptions, deps: GateDeps): ScanResult {
  return scanWith(options, deps, realEngine(deps), createCheckContext);
}
