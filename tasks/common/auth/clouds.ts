/** Well-known Azure clouds, as AzureRM service connections name them in `environment`. */
export interface CloudDefaults {
  authorityHost: string;
  resourceManagerUrl: string;
}

/** A Map: the environment name comes from the connection, and `constructor` must be an unknown cloud, not an Object member. */
const CLOUDS = new Map<string, CloudDefaults>([
  ['azurecloud', { authorityHost: 'https://login.microsoftonline.com/', resourceManagerUrl: 'https://management.azure.com/' }],
  ['azureusgovernment', { authorityHost: 'https://login.microsoftonline.us/', resourceManagerUrl: 'https://management.usgovcloudapi.net/' }],
  ['azurechinacloud', { authorityHost: 'https://login.chinacloudapi.cn/', resourceManagerUrl: 'https://management.chinacloudapi.cn/' }],
]);

export function cloudDefaults(environment: string | undefined): CloudDefaults | undefined {
  return CLOUDS.get((environment ?? 'AzureCloud').toLowerCase());
}

export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
