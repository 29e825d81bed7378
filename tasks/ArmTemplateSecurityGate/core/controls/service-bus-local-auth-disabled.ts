import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'service-bus-local-auth-disabled',
    title: 'Service Bus namespace refuses SAS keys',
    severity: 'medium',
    featureSet: 'ServiceBus',
    resourceTypes: ['Microsoft.ServiceBus/namespaces'],
    rationale:
      'Shared access keys let anyone who holds one send or receive (or, for RootManageSharedAccessKey, manage) without an ' +
      'identity: they never expire, are copied into connection strings and cannot be traced to a caller. With ' +
      'disableLocalAuth true, clients must use Entra ID tokens and data roles. Keys are accepted by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true and grant the Service Bus Data Sender/Receiver roles to the identities that need them.',
      snippet: snippet({ type: 'Microsoft.ServiceBus/namespaces', properties: { disableLocalAuth: true } }),
    },
    references: { psrule: ['Azure.ServiceBus.DisableLocalAuth'], mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
