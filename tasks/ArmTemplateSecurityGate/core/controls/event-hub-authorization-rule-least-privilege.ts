import { expectEvery, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'event-hub-authorization-rule-least-privilege',
    title: 'Event Hubs shared access policies do not grant Manage',
    severity: 'medium',
    featureSet: 'EventHub',
    resourceTypes: ['Microsoft.EventHub/namespaces/authorizationRules', 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules'],
    rationale:
      'A key with the Manage right can also send, listen and change the entity\'s configuration and keys. Clients need Send or ' +
      'Listen only. AzSK counted rights (fewer than two) and shipped the control disabled; here any rule declared in the template ' +
      'that includes Manage fails. Prefer Entra ID (RBAC) over shared keys altogether.',
    remediation: {
      text: 'Give each client a policy with only Send or only Listen, at the event hub scope.',
      snippet: snippet({ type: 'Microsoft.EventHub/namespaces/eventhubs/authorizationRules', properties: { rights: ['Listen'] } }),
    },
    references: { azsk: ['Azure_EventHub_AuthZ_Use_Min_Permissions_Access_Policies'], mcsb: ['PA-7'] },
    since: '2026-11-23',
  },
  expectEvery(
    '$.properties.rights',
    (r, i) => ({ ok: !(typeof r === 'string' && r.toLowerCase() === 'manage'), detail: `[${i}] grants "Manage"` }),
    { ifAbsent: 'pass', absentReason: 'no rights are granted', what: 'the policy rights' },
  ),
);
