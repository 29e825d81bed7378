import { spawnSync } from 'child_process';
import * as path from 'path';
import { buildAgentEnv, nodeTarget } from '../task-runner';
import { Benchmark, figure, median } from './types';

/**
 * Wall time from spawning node on a bundled task until it exits, with a trivial input, against
 * `node -e 0` (the floor any Node task pays). The gap is the cost of loading and running the bundle.
 */

function timeRun(args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, cwd, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return ms;
}

/**
 * One figure per shipped task version, each run with no inputs at all: the task loads its bundle,
 * task-lib and task.json, reads its settings, fails on the first missing required input and exits.
 * That is the fixed cost every run of the task pays before it does any work.
 */
export const coldStart: Benchmark = {
  name: 'cold-start',
  async run(ctx) {
    const versions = ctx.usingFixture ? (ctx.subject ? [ctx.subject] : []) : ctx.packaged.build.versions;
    const figures = [];
    for (const v of versions) {
      if (!v.taskJson) continue;
      const taskDir = path.join(ctx.packaged.build.stageDir, v.taskName, v.versionFolder);
      const target = nodeTarget(v.taskJson, taskDir);
      const { env, cwd } = buildAgentEnv({ taskDir, inputs: ctx.usingFixture ? { text: 'bench' } : {} }, v.taskJson);
      timeRun(['-e', '0'], env, cwd); // warm the file cache so the first sample is not an outlier
      timeRun([target], env, cwd);
      const base: number[] = [];
      const task: number[] = [];
      for (let i = 0; i < ctx.runs; i++) {
        base.push(timeRun(['-e', '0'], env, cwd));
        task.push(timeRun([target], env, cwd));
      }
      figures.push(figure(`cold-start ${v.taskName}@${v.folderMajor} vs node -e 0`, median(task), 'ms', median(base)));
    }
    return figures;
  },
};
