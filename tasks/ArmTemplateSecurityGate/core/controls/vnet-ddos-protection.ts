import { asBool, fail, isNonEmptyString, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

const PIP_TYPE = 'Microsoft.Network/publicIPAddresses';

const rule: Rule = (view) => {
  if (view.type.toLowerCase() === PIP_TYPE.toLowerCase()) {
    // A public IP follows its virtual network's plan unless it opts out (Disabled) or has IP protection of its own (Enabled).
    const mode = view.get('$.properties.ddosSettings.protectionMode');
    if (mode.state === 'unknown') return unknownResult(mode, 'the DDoS protection mode', view.resource);
    if (mode.state !== 'value') return undefined;
    const m = String(mode.value).toLowerCase();
    if (m === 'enabled') return pass('ddosSettings.protectionMode is Enabled: the address has DDoS IP Protection.', mode.location);
    if (m === 'disabled') return fail('ddosSettings.protectionMode is Disabled: the address opts out of its virtual network\'s DDoS protection plan.', mode.location);
    return undefined;
  }
  const enabled = view.get('$.properties.enableDdosProtection');
  if (enabled.state === 'unknown') return unknownResult(enabled, 'DDoS protection', view.resource);
  if (enabled.state !== 'value' || asBool(enabled.value) !== true) {
    return fail(`enableDdosProtection is ${enabled.state === 'value' ? show(enabled.value) : 'not set (false)'}: public addresses in this network have only the basic infrastructure protection, without adaptive tuning, attack telemetry or rapid response.`, enabled.location);
  }
  const plan = view.get('$.properties.ddosProtectionPlan.id');
  if (plan.state === 'unknown') return unknownResult(plan, 'the DDoS protection plan', view.resource);
  if (plan.state !== 'value' || !isNonEmptyString(plan.value)) return fail('enableDdosProtection is true but no ddosProtectionPlan is referenced.', plan.location);
  return pass('The virtual network is covered by a DDoS protection plan.', enabled.location);
};

export default resourceControl(
  {
    id: 'vnet-ddos-protection',
    title: 'Virtual networks and their public IPs are covered by DDoS Protection',
    severity: 'low',
    featureSet: 'VirtualNetwork',
    resourceTypes: ['Microsoft.Network/virtualNetworks', PIP_TYPE],
    rationale:
      'Without DDoS Network Protection a public endpoint has only the platform\'s infrastructure-level defence, tuned for Azure as a ' +
      'whole: a volumetric or protocol attack sized for one application can take it offline, and there is no attack telemetry or cost ' +
      'protection. A virtual network needs enableDdosProtection true and a ddosProtectionPlan; a public IP that sets ' +
      'ddosSettings.protectionMode Disabled opts out of its network\'s plan and fails, one with IP Protection (Enabled) passes, and one ' +
      'that inherits is judged through its virtual network. A network without public endpoints can carry a justified suppression.',
    remediation: {
      text: 'Create (or share across subscriptions) a Microsoft.Network/ddosProtectionPlans resource and reference it from the virtual network with enableDdosProtection true.',
      snippet: snippet({
        type: 'Microsoft.Network/virtualNetworks',
        properties: { enableDdosProtection: true, ddosProtectionPlan: { id: "[resourceId('Microsoft.Network/ddosProtectionPlans', parameters('ddosPlanName'))]" } },
      }),
    },
    references: { mcsb: ['NS-5'] },
    since: '2026-12-07',
  },
  rule,
);
