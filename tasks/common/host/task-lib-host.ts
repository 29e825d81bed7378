import * as path from 'node:path';
import * as im from 'azure-pipelines-task-lib/internal';
import * as tl from 'azure-pipelines-task-lib/task';
import type {
  AgentCertificates,
  AgentProxy,
  EndpointAuthorization,
  IssueLocation,
  TaskHost,
  TaskResult,
} from './task-host';
import { neutralizeAfterLead } from '../log/safe-text';

const RESULTS: Record<TaskResult, tl.TaskResult> = {
  Succeeded: tl.TaskResult.Succeeded,
  SucceededWithIssues: tl.TaskResult.SucceededWithIssues,
  Failed: tl.TaskResult.Failed,
  Cancelled: tl.TaskResult.Cancelled,
  Skipped: tl.TaskResult.Skipped,
};

/**
 * The TaskHost of a real pipeline run. Apart from the task entry files, this is the only
 * module that imports azure-pipelines-task-lib.
 *
 * @param taskDir the folder holding task.json (the bundle's __dirname), for loc strings.
 */
export function createTaskLibHost(taskDir: string): TaskHost {
  tl.setResourcePath(path.join(taskDir, 'task.json'), true);
  // task-lib echoes each input and variable it reads as a debug command: see neutralizeAfterLead.
  im._setStdStream({ write: (text: string) => process.stdout.write(neutralizeAfterLead(text)) });

  return {
    getInput: (name) => tl.getInput(name, false)?.trim() || undefined,
    getSecretInput: (name) => {
      // What tl.getInput reads (the vault task-lib moved INPUT_* into on import), minus its echo.
      const value = im._vault.retrieveSecret(`INPUT_${im._getVariableKey(name)}`)?.trim() || undefined;
      tl.debug(`${name}=${value === undefined ? '' : '***'}`);
      return value;
    },
    // Called through the namespace: task-lib's filePathSupplied relies on `this` (breaks unbound in a bundle).
    filePathSupplied: (name) => tl.filePathSupplied(name),
    getVariable: (name) => tl.getVariable(name) || undefined,
    setVariable: (name, value, options) => tl.setVariable(name, value, options?.secret ?? false, options?.isOutput ?? false),

    getEndpointUrl: (id) => tl.getEndpointUrl(id, true) || undefined,
    getEndpointAuthorization: (id) => {
      // getEndpointAuthorization(id, false) fails the task instead of throwing; read it as optional.
      const auth = tl.getEndpointAuthorization(id, true);
      if (!auth) return undefined;
      return { scheme: auth.scheme ?? '', parameters: { ...(auth.parameters ?? {}) } } satisfies EndpointAuthorization;
    },
    getEndpointDataParameter: (id, key) => tl.getEndpointDataParameter(id, key, true) || undefined,

    getProxy: (): AgentProxy | undefined => {
      const proxy = tl.getHttpProxyConfiguration();
      if (!proxy) return undefined;
      return {
        proxyUrl: proxy.proxyUrl,
        proxyUsername: proxy.proxyUsername || undefined,
        proxyPassword: proxy.proxyPassword || undefined,
        proxyBypassHosts: proxy.proxyBypassHosts ?? [],
      };
    },
    getCertificates: (): AgentCertificates | undefined => {
      const certs = tl.getHttpCertConfiguration();
      if (!certs) return undefined;
      return {
        caFile: certs.caFile || undefined,
        certFile: certs.certFile || undefined,
        keyFile: certs.keyFile || undefined,
        certArchiveFile: certs.certArchiveFile || undefined,
        passphrase: certs.passphrase || undefined,
      };
    },

    loc: (key, ...args) => tl.loc(key, ...args),
    setSecret: (value) => {
      for (const line of value.split(/\r?\n|\r/)) {
        if (line.trim()) tl.setSecret(line.trim());
      }
    },

    debug: (message) => tl.debug(message),
    info: (message) => console.log(message),
    warning: (message, location) => logIssue(tl.IssueType.Warning, message, location),
    error: (message, location) => logIssue(tl.IssueType.Error, message, location),
    setProgress: (percent, operation) => tl.setProgress(percent, operation),
    uploadSummary: (file) => tl.uploadSummary(file),
    addAttachment: (type, name, file) => tl.addAttachment(type, name, file),
    uploadArtifact: (containerFolder, artifactName, file) => tl.uploadArtifact(containerFolder, file, artifactName),
    publishTestResults: (format, files, runTitle) =>
      new tl.TestPublisher(format).publish(files, 'false', '', '', runTitle ?? '', 'true'),
    setResult: (result, message) => tl.setResult(RESULTS[result], message),
  };
}

function logIssue(type: tl.IssueType, message: string, location?: IssueLocation): void {
  if (!location) {
    tl.logIssue(type, message);
    return;
  }
  tl.logIssue(type, message, location.sourcePath, location.lineNumber, location.columnNumber, location.code);
}
