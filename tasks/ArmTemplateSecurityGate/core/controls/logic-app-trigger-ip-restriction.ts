import {
  expectRestrictedCallers,
  findUnknown,
  isObject,
  pass,
  prop,
  resourceControl,
  Rule,
  snippet,
  unknownResult,
} from './helpers';

const restricted = expectRestrictedCallers('$.properties.accessControl.triggers.allowedCallerIpAddresses', 'the trigger caller restriction');

/** Request (HTTP) and webhook triggers are the ones callable from outside. */
const INBOUND = /^(request|httpwebhook|apiconnectionwebhook)$/i;

const rule: Rule = (view, ctx) => {
  const triggers = view.getShallow('$.properties.definition.triggers');
  if (triggers.state === 'unknown') return unknownResult(triggers, 'which triggers the workflow has', view.resource);
  if (triggers.state === 'value' && isObject(triggers.value)) {
    const inbound: string[] = [];
    for (const [name, t] of Object.entries(triggers.value)) {
      const type = isObject(t) ? prop(t, 'type') : undefined;
      if (findUnknown(type ?? null)) return unknownResult({ ...triggers, state: 'unknown', value: findUnknown(type ?? null)! }, `the type of trigger '${name}'`, view.resource);
      if (typeof type === 'string' && INBOUND.test(type)) inbound.push(name);
    }
    if (!inbound.length) return pass('The workflow has no HTTP request or webhook trigger.', triggers.location);
  }
  return restricted(view, ctx);
};

export default resourceControl(
  {
    id: 'logic-app-trigger-ip-restriction',
    title: 'Logic App HTTP triggers accept calls only from listed addresses',
    severity: 'high',
    featureSet: 'LogicApps',
    resourceTypes: ['Microsoft.Logic/workflows'],
    rationale:
      'A Request or webhook trigger can be invoked by anyone holding its SAS URL. accessControl.triggers.allowedCallerIpAddresses ' +
      'limits callers to known ranges; an entry of 0.0.0.0-255.255.255.255 restricts nothing. An empty list is Azure\'s way of ' +
      'allowing only other Logic Apps, which passes. Workflows without inbound triggers pass. AzSK could only ask for manual review.',
    remediation: {
      text: 'Add accessControl.triggers.allowedCallerIpAddresses with the caller ranges.',
      snippet: snippet({
        type: 'Microsoft.Logic/workflows',
        properties: { accessControl: { triggers: { allowedCallerIpAddresses: [{ addressRange: '203.0.113.0/28' }] } } },
      }),
    },
    references: {
      azsk: ['Azure_LogicApps_AuthZ_Provide_Triggers_Access_Control'],
      psrule: ['Azure.LogicApp.LimitHTTPTrigger'],
      mcsb: ['NS-2'],
    },
    since: '2026-11-23',
  },
  rule,
);
