/** v1 inputs: the only file that knows their names. Every value is checked here, naming the input. */
import * as path from 'node:path';
import { readJenkinsEndpoint } from '../../common/endpoints/jenkins';
import { InputError } from '../../common/errors';
import type { TaskInputs } from '../../common/host/inputs';
import type { TaskContext } from '../../common/host/run-task';
import { parseJobReference } from '../core/job-path';
import { BUILD_CHOICES, DOWNLOAD_MODES, UNSTABLE_RESULTS, type JenkinsDownloadSettings } from '../core/model';

export function readSettings(inputs: TaskInputs, ctx: TaskContext): JenkinsDownloadSettings {
  // First, so the token is registered before anything else can fail and print.
  const endpoint = readJenkinsEndpoint(inputs.host, ctx.secrets, inputs.required('jenkinsServerConnection'));

  const job = parseJobReference(inputs.required('jobName'));
  if ('problem' in job) throw new InputError('jobName', job.problem);

  const build = inputs.enumOf('jenkinsBuild', BUILD_CHOICES, 'LastSuccessfulBuild');
  let buildNumber: number | undefined;
  let buildBranch: string | undefined;
  if (build === 'BuildNumber') {
    const raw = inputs.required('jenkinsBuildNumber');
    // Microsoft's task takes `<branch>/<number>` for a multibranch project; so do we.
    const m = /^(?:(.+)\/)?(\d{1,10})$/.exec(raw);
    if (!m || Number(m[2]) < 1) throw new InputError('jenkinsBuildNumber', `expected a build number such as 42 (or <branch>/42 for a multibranch project), got '${raw.slice(0, 100)}'`);
    buildNumber = Number(m[2]);
    buildBranch = m[1];
  }

  const itemPatterns = inputs.lines('itemPattern');
  const workDir = inputs.variable('System.DefaultWorkingDirectory') ?? process.cwd();
  const saveTo = path.resolve(workDir, inputs.filePath('saveTo') ?? 'jenkinsArtifacts');

  return {
    endpoint,
    job,
    build,
    buildNumber,
    buildBranch,
    parameters: inputs.map('buildParameters'),
    itemPatterns: itemPatterns.length ? itemPatterns : ['**'],
    saveTo,
    mode: inputs.enumOf('downloadMode', DOWNLOAD_MODES, 'files'),
    parallel: inputs.int('parallelDownloads', 8, { min: 1, max: 32 }),
    retries: inputs.int('retryCount', 4, { min: 0, max: 10 }),
    unstable: inputs.enumOf('unstableBuildResult', UNSTABLE_RESULTS, 'SucceededWithIssues'),
    allowFailedBuild: inputs.bool('allowFailedBuild', false),
    commitsAttachment: inputs.bool('downloadCommitsAndWorkItems', false),
  };
}
