import { EndpointError } from '../errors';
import type { TaskHost } from '../host/task-host';
import type { SecretRegistry } from '../log/secrets';

/**
 * Azure DevOps' built-in Jenkins service connection (type `Jenkins`, scheme UsernamePassword),
 * parsed and checked once. Azure DevOps itself cannot reach a Jenkins inside a private network, so
 * nothing about this connection was verified before the agent reads it here.
 */
export interface JenkinsEndpoint {
  id: string;
  /** The server URL with its context path (`https://ci.corp/jenkins/`), always with a trailing slash. */
  url: string;
  username: string;
  /** The user's API token (or, discouraged, password). Registered as a secret. */
  token: string;
  /** The `Authorization` header value sent with every request. Registered as a secret. */
  authorization: string;
  /** The connection's "accept untrusted TLS certificates" flag. */
  acceptUntrustedCerts: boolean;
}

/**
 * Reads a Jenkins connection the way the agent hands it to a task (ENDPOINT_URL_, ENDPOINT_AUTH_,
 * ENDPOINT_DATA_), registering the token and the header built from it before anything can print
 * them.
 */
export function readJenkinsEndpoint(host: TaskHost, secrets: SecretRegistry, id: string): JenkinsEndpoint {
  const auth = host.getEndpointAuthorization(id);
  if (!auth) throw new EndpointError(id, 'not found; is it a Jenkins service connection this pipeline may use?');
  const param = (key: string) => Object.entries(auth.parameters).find(([k, v]) => k.toLowerCase() === key && v)?.[1];
  const token = param('password');
  // Registered before any check below can fail and print a message.
  secrets.register(token);
  if ((auth.scheme || '').toLowerCase() !== 'usernamepassword') {
    throw new EndpointError(id, `authentication scheme '${auth.scheme}' is not supported; a Jenkins connection uses UsernamePassword (user name and API token)`);
  }
  const username = param('username');
  if (!username) throw new EndpointError(id, 'has no user name; give the Jenkins user whose API token the connection holds');
  if (!token) throw new EndpointError(id, "has no password; give the Jenkins user's API token (Jenkins: your user > Security > API Token)");
  if (username.includes(':')) throw new EndpointError(id, "the user name contains ':', which HTTP Basic authentication cannot carry");

  const raw = host.getEndpointUrl(id);
  if (!raw) throw new EndpointError(id, 'has no server URL');
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new EndpointError(id, `the server URL '${raw}' is not an absolute URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new EndpointError(id, `the server URL '${raw}' is not an http(s) URL`);
  if (parsed.username || parsed.password) throw new EndpointError(id, 'the server URL carries credentials; put them in the user name and password fields');
  if (parsed.search || parsed.hash) throw new EndpointError(id, `the server URL '${parsed.origin}${parsed.pathname}' must not carry a query or fragment`);
  parsed.pathname = parsed.pathname.replace(/\/*$/, '/');

  const authorization = `Basic ${Buffer.from(`${username}:${token}`, 'utf8').toString('base64')}`;
  secrets.register(authorization.slice('Basic '.length));
  const flag = (host.getEndpointDataParameter(id, 'acceptUntrustedCerts') ?? '').trim().toLowerCase();
  return { id, url: parsed.toString(), username, token, authorization, acceptUntrustedCerts: flag === 'true' };
}
