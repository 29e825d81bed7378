import * as fs from 'node:fs';
import { readJenkinsEndpoint } from '../../tasks/common/endpoints/jenkins';
import { createHttpClients } from '../../tasks/common/http/http-client';
import type { Logger } from '../../tasks/common/log/logger';
import { SecretRegistry } from '../../tasks/common/log/secrets';
import { JenkinsClient } from '../../tasks/JenkinsArtifactDownload/core/jenkins-client';
import { getTestCa, startJenkins, type JenkinsEmulator, type JenkinsEmulatorOptions } from '../emulators';
import { FakeHost } from '../helpers/fake-host';

export const USER = 'deployer';
export const TOKEN = '0a1b2c3d4e5f60718293a4b5c6d7e8f901';
export const PASSWORD = 'correct horse battery staple';

export async function jenkinsFixture(options: JenkinsEmulatorOptions = {}): Promise<JenkinsEmulator> {
  const ca = getTestCa();
  const server = await startJenkins({ certPem: ca.server.certPem, keyPem: ca.server.keyPem }, options);
  server.addUser(USER, { token: TOKEN, password: PASSWORD });
  return server;
}

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: () => undefined,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** A JenkinsClient over the real HTTP client, trusting the test CA, as the task builds it. */
export function clientFor(server: JenkinsEmulator, password = TOKEN, log: Logger = recordingLogger(), idleMs?: number): JenkinsClient {
  const host = new FakeHost({ endpoints: { c: { url: server.jenkinsUrl, scheme: 'UsernamePassword', parameters: { username: USER, password } } } });
  const secrets = new SecretRegistry(host);
  const endpoint = readJenkinsEndpoint(host, secrets, 'c');
  const { http, streamGet } = createHttpClients({ network: { extraCaPem: [fs.readFileSync(getTestCa().caFile, 'utf8')] }, secrets, logger: log, sleep: async () => undefined });
  return new JenkinsClient(http, streamGet, endpoint, idleMs);
}
