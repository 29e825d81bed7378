import { checkMethodForPackage, deployTarget } from './deploy-target';
import type { DeploySettings, TargetOutcome } from './model';
import type { CoreDeps } from './ports';
import { rollout } from './rollout';

export interface DeployReport {
  outcomes: TargetOutcome[];
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  message: string;
}

/** Deploys the package to every target in the chosen order and says plainly where it landed. */
export async function deployAll(settings: DeploySettings, deps: CoreDeps): Promise<DeployReport> {
  checkMethodForPackage(settings.method, deps.pkg.kind);
  deps.log.info(`Deploying ${settings.targets.length} target(s) ${describeStrategy(settings)}`);
  const outcomes = await rollout(settings.targets, settings, (t) => deployTarget(t, settings, deps));

  const deployed = outcomes.filter((o) => o.deployed).map((o) => o.target.label);
  const notDeployed = outcomes.filter((o) => !o.deployed).map((o) => `${o.target.label} (${o.result === 'Skipped' ? 'skipped' : o.result === 'SwappedBack' ? 'swapped back' : 'failed'})`);
  deps.log.info(`New version on: ${deployed.length ? deployed.join(', ') : 'none'}`);
  if (notDeployed.length) deps.log.info(`Not on the new version: ${notDeployed.join(', ')}`);

  const failed = outcomes.filter((o) => o.result !== 'Succeeded');
  if (failed.length === 0) return { outcomes, result: 'Succeeded', message: `Deployed to ${outcomes.length} target(s).` };
  const firstProblem = failed.find((o) => o.result !== 'Skipped') ?? failed[0];
  const what = `${failed.length} of ${outcomes.length} target(s) not deployed; first: ${firstProblem.target.label}: ${firstProblem.message ?? firstProblem.result}`;
  const anyFailed = failed.some((o) => o.result !== 'Skipped');
  if (settings.continueOnTargetFailure && deployed.length > 0 && anyFailed) {
    for (const o of failed) deps.log.warning(`${o.target.label}: ${o.message ?? o.result}`);
    return { outcomes, result: 'SucceededWithIssues', message: what };
  }
  return { outcomes, result: 'Failed', message: what };
}

function describeStrategy(s: DeploySettings): string {
  switch (s.strategy) {
    case 'sequential':
      return 'one after another';
    case 'parallel':
      return `in parallel (at most ${s.maxParallel} at once)`;
    case 'rolling':
      return `rolling: ${s.targets[0]?.label ?? 'the first target'} first as the canary, then the rest (at most ${s.maxParallel} at once)`;
  }
}
