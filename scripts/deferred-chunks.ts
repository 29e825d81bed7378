import * as path from 'path';
import * as esbuild from 'esbuild';

/**
 * Deferred parts of a task bundle. A task's entry loads its composition root (the Azure SDK,
 * @azure/identity, the HTTP client: most of the bundle) with `await import('../task/execute')`, so a
 * run that fails on its inputs, and the start of every run, do not pay for it. In one CommonJS file
 * esbuild would still make V8 parse all of that code at startup; this plugin bundles the target of a
 * project-internal dynamic import on its own and embeds it as a string, compiled only when the import
 * runs. The bundle stays one file with no node_modules beside it.
 *
 * The deferred part carries its own copy of the modules it shares with the rest (tasks/common); what
 * crosses the boundary is plain data, the context objects and errors, which TaskError recognises by
 * a brand. A deferred part must not import task-lib (its module state would split); the build's
 * singleton check sees the deferred inputs too.
 */
export interface DeferredReport {
  /** Absolute paths of every input of the deferred parts (for notices and the bundle checks). */
  inputs: string[];
  warnings: esbuild.Message[];
}

const NAMESPACE = 'srk-deferred';

export function deferredChunks(options: esbuild.BuildOptions, report: DeferredReport): esbuild.Plugin {
  const workDir = options.absWorkingDir ?? process.cwd();
  return {
    name: 'srk-deferred-chunks',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: 'import-statement' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (/[\\/]node_modules[\\/]/.test(resolved.path)) return undefined;
        return { path: resolved.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const { entryPoints: _e, outdir: _d, outfile: _f, plugins: _p, sourcemap: _s, ...shared } = options;
        const result = await esbuild.build({
          ...shared,
          entryPoints: [args.path],
          outfile: path.join(workDir, 'deferred.js'),
          write: false,
          metafile: true,
          plugins: [deferredChunks(options, report)],
        });
        report.warnings.push(...result.warnings);
        for (const output of Object.values(result.metafile.outputs)) {
          for (const input of Object.keys(output.inputs)) if (!input.startsWith(`${NAMESPACE}:`)) report.inputs.push(path.resolve(workDir, input));
        }
        const code = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
        // Compiled in this module's scope, with the bundle's own require (Node built-ins only: the
        // deferred part bundles everything else).
        const contents = [
          `const m = { exports: {} };`,
          `require('node:vm').runInThisContext('(function (exports, require, module, __filename, __dirname) {' + ${JSON.stringify(code)} + '\\n})', { filename: __filename })(m.exports, require, m, __filename, __dirname);`,
          `module.exports = m.exports;`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}
