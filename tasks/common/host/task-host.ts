/**
 * The agent as a task sees it. Only `task-lib-host.ts` implements this over
 * azure-pipelines-task-lib; cores and settings readers depend on this interface,
 * so they can be driven by fakes in tests and by the CLI outside a pipeline.
 */

export type TaskResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Cancelled' | 'Skipped';

export type IssueType = 'error' | 'warning';

export interface IssueLocation {
  sourcePath?: string;
  lineNumber?: number;
  columnNumber?: number;
  code?: string;
}

export interface EndpointAuthorization {
  scheme: string;
  parameters: Record<string, string>;
}

/** Agent-level HTTP settings (Agent.ProxyUrl…, Agent.CAInfo…), as task-lib exposes them. */
export interface AgentProxy {
  proxyUrl: string;
  proxyUsername?: string;
  proxyPassword?: string;
  /** Regular expressions (as strings) of hosts that bypass the proxy. */
  proxyBypassHosts: string[];
}

export interface AgentCertificates {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  certArchiveFile?: string;
  passphrase?: string;
}

export interface TaskHost {
  /** Raw input value, trimmed; undefined when empty or not set. */
  getInput(name: string): string | undefined;
  /**
   * An input that may hold a secret, trimmed; undefined when empty or not set. Unlike getInput it
   * is read without task-lib's debug echo of `<name>=<value>`, which prints the value before the
   * task could register it. The caller registers the secret parts with setSecret (in a header
   * input, say, only the values are secret).
   */
  getSecretInput(name: string): string | undefined;
  /** True when a filePath input was really given (an empty filePath arrives as the repository root). */
  filePathSupplied(name: string): boolean;
  getVariable(name: string): string | undefined;
  setVariable(name: string, value: string, options?: { secret?: boolean; isOutput?: boolean }): void;

  getEndpointUrl(id: string): string | undefined;
  getEndpointAuthorization(id: string): EndpointAuthorization | undefined;
  getEndpointDataParameter(id: string, key: string): string | undefined;

  getProxy(): AgentProxy | undefined;
  getCertificates(): AgentCertificates | undefined;

  /** A message from task.json `messages`, formatted util.format-style. */
  loc(key: string, ...args: Array<string | number>): string;

  /** Registers a value so the agent masks it in every log line. Multi-line values are split by line. */
  setSecret(value: string): void;

  debug(message: string): void;
  info(message: string): void;
  warning(message: string, location?: IssueLocation): void;
  error(message: string, location?: IssueLocation): void;
  setProgress(percent: number, operation: string): void;
  uploadSummary(markdownFile: string): void;
  addAttachment(type: string, name: string, file: string): void;
  /** Uploads a file or folder as a build artifact. */
  uploadArtifact(containerFolder: string, artifactName: string, path: string): void;
  /** Publishes test result files to the run's Tests tab. */
  publishTestResults(format: 'JUnit' | 'NUnit' | 'VSTest' | 'XUnit', files: string[], runTitle?: string): void;
  setResult(result: TaskResult, message: string): void;
}
