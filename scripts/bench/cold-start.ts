import { spawnSync } from 'child_process';
import * as path from 'path';
import { agentNode24 } from '../agent-node';
import { buildAgentEnv, nodeTarget } from '../task-runner';
import { Benchmark, figure, median } from './types';

/**
 * Wall time from spawning node on a bundled task until it exits, with a trivial input, against
 * `node -e 0` (the floor any Node task pays). The gap is the cost of loading and running the bundle.
 */

function timeRun(node: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(node, args, { env, cwd, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return ms;
}

/**
 * One figure per shipped task version, each run with no inputs at all: the task loads its bundle,
 * task-lib and task.json, reads its settings, fails on the first missing required input and exits.
 * That is the fixed cost every run of the task pays before it does any work. Measured on this
 * Node (the Node20_1 handler's) and on Node 24 (the Node24 handler's), each against its own floor.
 */
export const coldStart: Benchmark = {
  name: 'cold-start',
  async run(ctx) {
    const versions = ctx.usingFixture ? (ctx.subject ? [ctx.subject] : []) : ctx.packaged.build.versions;
    const figures = [];
    let node24: string | undefined;
    try {
      node24 = agentNode24();
    } catch (err) {
      console.warn(`cold-start: no Node 24 figures: ${(err as Error).message}`);
    }
    const runtimes = [{ node: process.execPath, label: '' }, ...(node24 ? [{ node: node24, label: ' on Node 24' }] : [])];
    for (const v of versions) {
      if (!v.taskJson) continue;
      const taskDir = path.join(ctx.packaged.build.stageDir, v.taskName, v.versionFolder);
      const target = nodeTarget(v.taskJson, taskDir);
      const { env, cwd } = buildAgentEnv({ taskDir, inputs: ctx.usingFixture ? { text: 'bench' } : {} }, v.taskJson);
      for (const { node, label } of runtimes) {
        timeRun(node, ['-e', '0'], env, cwd); // warm the file cache so the first sample is not an outlier
        timeRun(node, [target], env, cwd);
        const base: number[] = [];
        const task: number[] = [];
        for (let i = 0; i < ctx.runs; i++) {
          base.push(timeRun(node, ['-e', '0'], env, cwd));
          task.push(timeRun(node, [target], env, cwd));
        }
        figures.push(figure(`cold-start ${v.taskName}@${v.folderMajor}${label} vs node -e 0`, median(task), 'ms', median(base)));
      }
    }
    return figures;
  },
};
