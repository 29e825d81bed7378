/** Open-source database servers (PostgreSQL / MySQL): TLS enforcement and firewall rules. */

import { firewallRuleRule, isAzureServicesRule, isUniversal } from './ip-ranges';
import { lastNameSegment } from './lookup';
import { decide, show, type Rule } from './results';

/**
 * TLS enforcement: single servers carry properties.sslEnforcement (default Enabled); flexible servers use the
 * server parameter `require_secure_transport` (default ON), declared as a `<server>/configurations` child.
 */
export function sslEnforcementRule(): Rule {
  return (view) => {
    if (/\/configurations$/i.test(view.type)) {
      if (lastNameSegment(view.name).toLowerCase() !== 'require_secure_transport') return undefined;
      return decide(
        view,
        view.get('$.properties.value'),
        (v) => {
          const ok = typeof v === 'string' && ['on', 'true', '1'].includes(v.trim().toLowerCase());
          return { ok, detail: ok ? `require_secure_transport is ${show(v)}` : `require_secure_transport is ${show(v)}, so unencrypted connections are accepted` };
        },
        { ifAbsent: 'pass', absentReason: 'the server default is ON', what: 'require_secure_transport' },
      );
    }
    return decide(
      view,
      view.get('$.properties.sslEnforcement'),
      (v) => {
        const ok = typeof v === 'string' && v.toLowerCase() === 'enabled';
        return { ok, detail: ok ? 'sslEnforcement is "Enabled"' : `sslEnforcement is ${show(v)}, so unencrypted connections are accepted` };
      },
      { ifAbsent: 'pass', absentReason: 'defaults to Enabled', what: 'TLS enforcement' },
    );
  };
}

export function noUniversalFirewallRule(): Rule {
  return firewallRuleRule(
    '$.properties.startIpAddress',
    '$.properties.endIpAddress',
    (r, s, e) => (isUniversal(r) ? { ok: false, detail: `firewall rule allows every IPv${r.family} address (${s} – ${e})` } : { ok: true, detail: `firewall rule allows ${s} – ${e}` }),
    'the firewall range',
  );
}

export function noAzureServicesFirewallRule(): Rule {
  return firewallRuleRule(
    '$.properties.startIpAddress',
    '$.properties.endIpAddress',
    (r, s, e) =>
      isAzureServicesRule(r)
        ? { ok: false, detail: `firewall rule ${s} – ${e} allows connections from all Azure services, including other customers'` }
        : { ok: true, detail: `firewall rule ${s} – ${e} is not the "allow Azure services" rule` },
    'the firewall range',
  );
}
