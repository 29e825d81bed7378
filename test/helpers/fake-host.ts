import { TaskInputs } from '../../tasks/common/host/inputs';
import type { EndpointAuthorization, IssueLocation, TaskHost, TaskResult } from '../../tasks/common/host/task-host';
import { SecretRegistry } from '../../tasks/common/log/secrets';

/** The strict input reader over a host, as runTask hands it to a settings reader. */
export function inputsOf(host: TaskHost): TaskInputs {
  return new TaskInputs(host, new SecretRegistry(host));
}

export interface FakeEndpoint {
  url?: string;
  scheme: string;
  parameters: Record<string, string>;
  data?: Record<string, string>;
}

/** A TaskHost that records what a task did, for in-process tests of settings and cores. */
export class FakeHost implements TaskHost {
  inputs: Record<string, string> = {};
  variables: Record<string, string> = {};
  endpoints: Record<string, FakeEndpoint> = {};
  secrets: string[] = [];
  logs: string[] = [];
  issues: Array<{ type: 'warning' | 'error'; message: string; location?: IssueLocation }> = [];
  summaries: string[] = [];
  attachments: Array<{ type: string; name: string; file: string }> = [];
  artifacts: Array<{ container: string; name: string; folder: string }> = [];
  outputs: Array<{ name: string; value: string; secret: boolean; isOutput: boolean }> = [];
  testRuns: Array<{ format: string; files: string[]; runTitle?: string }> = [];
  result?: { result: TaskResult; message: string };
  messages: Record<string, string> = {};

  constructor(init?: Partial<Pick<FakeHost, 'inputs' | 'variables' | 'endpoints' | 'messages'>>) {
    Object.assign(this, init);
  }

  getInput(name: string) {
    return this.inputs[name]?.trim() || undefined;
  }
  /** Names read through getSecretInput, so settings tests can tell a secret input is read quietly. */
  secretInputsRead: string[] = [];
  getSecretInput(name: string) {
    this.secretInputsRead.push(name);
    return this.inputs[name]?.trim() || undefined;
  }
  filePathSupplied(name: string) {
    return Boolean(this.inputs[name]);
  }
  getVariable(name: string) {
    return this.variables[name];
  }
  setVariable(name: string, value: string, options?: { secret?: boolean; isOutput?: boolean }) {
    this.outputs.push({ name, value, secret: options?.secret ?? false, isOutput: options?.isOutput ?? false });
  }
  getEndpointUrl(id: string) {
    return this.endpoints[id]?.url;
  }
  getEndpointAuthorization(id: string): EndpointAuthorization | undefined {
    const e = this.endpoints[id];
    return e ? { scheme: e.scheme, parameters: { ...e.parameters } } : undefined;
  }
  getEndpointDataParameter(id: string, key: string) {
    const data = this.endpoints[id]?.data ?? {};
    const found = Object.keys(data).find((k) => k.toLowerCase() === key.toLowerCase());
    return found ? data[found] : undefined;
  }
  getProxy() {
    const url = this.variables['Agent.ProxyUrl'];
    if (!url) return undefined;
    return {
      proxyUrl: url,
      proxyUsername: this.variables['Agent.ProxyUsername'],
      proxyPassword: this.variables['Agent.ProxyPassword'],
      proxyBypassHosts: JSON.parse(this.variables['Agent.ProxyBypassList'] ?? '[]') as string[],
    };
  }
  getCertificates() {
    const caFile = this.variables['Agent.CAInfo'];
    return caFile ? { caFile } : undefined;
  }
  loc(key: string, ...args: Array<string | number>) {
    const template = this.messages[key] ?? key;
    let i = 0;
    return template.replace(/%[sd]/g, () => String(args[i++]));
  }
  setSecret(value: string) {
    this.secrets.push(value);
  }
  debug(message: string) {
    this.logs.push(`debug: ${message}`);
  }
  info(message: string) {
    this.logs.push(message);
  }
  warning(message: string, location?: IssueLocation) {
    this.issues.push({ type: 'warning', message, location });
  }
  error(message: string, location?: IssueLocation) {
    this.issues.push({ type: 'error', message, location });
  }
  setProgress() {}
  uploadSummary(file: string) {
    this.summaries.push(file);
  }
  addAttachment(type: string, name: string, file: string) {
    this.attachments.push({ type, name, file });
  }
  uploadArtifact(container: string, name: string, folder: string) {
    this.artifacts.push({ container, name, folder });
  }
  publishTestResults(format: string, files: string[], runTitle?: string) {
    this.testRuns.push({ format, files, runTitle });
  }
  setResult(result: TaskResult, message: string) {
    this.result = { result, message };
  }
}
