import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-configuration-local-auth-disabled',
    title: 'App Configuration store refuses access keys',
    severity: 'medium',
    featureSet: 'AppConfiguration',
    resourceTypes: ['Microsoft.AppConfiguration/configurationStores'],
    rationale:
      'A configuration store holds connection settings and feature flags for many applications, often with Key Vault references ' +
      'beside them. Its access keys (read-write by default) never expire, are pasted into connection strings and cannot be ' +
      'traced to a caller: whoever holds one can read every setting or rewrite them. With disableLocalAuth true only Entra ID ' +
      'tokens with App Configuration data roles are accepted. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant the App Configuration Data Reader/Owner roles to the identities that need them.',
      snippet: snippet({ type: 'Microsoft.AppConfiguration/configurationStores', properties: { disableLocalAuth: true } }),
    },
    references: { psrule: ['Azure.AppConfig.DisableLocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
