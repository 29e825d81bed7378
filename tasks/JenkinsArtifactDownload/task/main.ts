import * as os from 'node:os';
import type { TaskContext, TaskOutcome } from '../../common/host/run-task';
import { createHttpClients } from '../../common/http/http-client';
import { readNetworkSettings } from '../../common/http/network';
import { JenkinsClient } from '../core/jenkins-client';
import type { JenkinsDownloadSettings } from '../core/model';
import { downloadJenkinsArtifacts } from '../core/task';
import { workerMd5 } from './md5-worker';
import { openTargetFolder, tempFolder } from './node-files';
import { readZip } from './zip-reader';

/** Composition root: the agent's network settings, the disk and the agent wired into the core. */
export async function runJenkinsArtifactDownload(settings: JenkinsDownloadSettings, ctx: TaskContext): Promise<TaskOutcome> {
  const { host, log, secrets } = ctx;
  const endpoint = settings.endpoint;
  if (endpoint.url.startsWith('http:')) {
    log.warning(`The Jenkins service connection uses plain http (${endpoint.url}): the API token crosses the network unencrypted. Use https.`);
  }
  const { http, streamGet } = createHttpClients({
    network: readNetworkSettings(host, secrets),
    secrets,
    logger: log,
    tls: { allowUntrusted: endpoint.acceptUntrustedCerts },
  });
  return downloadJenkinsArtifacts(settings, {
    client: new JenkinsClient(http, streamGet, endpoint),
    target: await openTargetFolder(settings.saveTo),
    temp: tempFolder(host.getVariable('Agent.TempDirectory') ?? os.tmpdir()),
    readArchive: readZip,
    largeHasher: workerMd5,
    clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    log,
    progress: (percent, operation) => host.setProgress(percent, operation),
    setOutput: (name, value) => host.setVariable(name, value, { isOutput: true }),
    uploadSummary: (file) => host.uploadSummary(file),
    addAttachment: (type, name, file) => host.addAttachment(type, name, file),
  });
}
