/**
 * The order targets are deployed in. sequential: one after another; parallel: at most
 * maxParallel at once; rolling: the first target alone as the canary, and only when it succeeded
 * (healthy), the rest at most maxParallel at once. A failure stops the rollout (targets not yet
 * started are skipped) unless continueOnTargetFailure; a failed canary always stops it.
 */
import type { Strategy, Target, TargetOutcome } from './model';

export interface RolloutOptions {
  strategy: Strategy;
  maxParallel: number;
  continueOnTargetFailure: boolean;
}

export async function rollout(targets: Target[], options: RolloutOptions, deployOne: (t: Target) => Promise<TargetOutcome>): Promise<TargetOutcome[]> {
  const results = new Map<Target, TargetOutcome>();
  let stopped = false;
  const run = async (t: Target) => {
    const r = await deployOne(t);
    results.set(t, r);
    if (r.result !== 'Succeeded' && !options.continueOnTargetFailure) stopped = true;
  };
  const pool = async (list: Target[], width: number) => {
    let next = 0;
    const worker = async () => {
      while (!stopped && next < list.length) await run(list[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(width, list.length) }, worker));
  };

  switch (options.strategy) {
    case 'sequential':
      await pool(targets, 1);
      break;
    case 'parallel':
      await pool(targets, options.maxParallel);
      break;
    case 'rolling': {
      const [canary, ...rest] = targets;
      if (canary) {
        await run(canary);
        if (results.get(canary)?.result === 'Succeeded') await pool(rest, options.maxParallel);
        else stopped = true;
      }
      break;
    }
  }
  return targets.map((t) => results.get(t) ?? { target: t, result: 'Skipped', deployed: false, durationMs: 0, message: 'not started: the rollout stopped after a failure' });
}
