/** Open-source database servers (PostgreSQL / MySQL): TLS enforcement and firewall rules. */

import type { EvaluatedValue } from '../../model';
import { firewallRuleRule, isAzureServicesRule, isUniversal } from './ip-ranges';
import { lastNameSegment } from './lookup';
import { decide, show, type Judgement, type Rule } from './results';
import { expectPublicAccessClosed, hasText } from './service-access';

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

/**
 * Public network access of an open-source database server: single servers write properties.publicNetworkAccess,
 * flexible servers properties.network.publicNetworkAccess, and a flexible server injected into a subnet
 * (network.delegatedSubnetResourceId) has no public endpoint at all.
 */
export function ossPublicAccessRule(): Rule {
  const single = expectPublicAccessClosed();
  const flexible = expectPublicAccessClosed({
    path: '$.properties.network.publicNetworkAccess',
    closedBy: hasText('$.properties.network.delegatedSubnetResourceId'),
    closedByText: 'the server is injected into a virtual network (network.delegatedSubnetResourceId)',
  });
  return (view, ctx) => (/\/flexibleServers$/i.test(view.type) ? flexible(view, ctx) : single(view, ctx));
}

/** Geo-redundant backup: storageProfile on single servers, backup on flexible servers. */
export function geoRedundantBackupRule(): Rule {
  return (view) =>
    decide(
      view,
      view.get(/\/flexibleServers$/i.test(view.type) ? '$.properties.backup.geoRedundantBackup' : '$.properties.storageProfile.geoRedundantBackup'),
      (v) => {
        const ok = typeof v === 'string' && v.toLowerCase() === 'enabled';
        return { ok, detail: ok ? 'is "Enabled": backups are copied to the paired region' : `is ${show(v)}: backups stay in one region` };
      },
      { ifAbsent: 'fail', absentReason: 'defaults to Disabled', what: 'geo-redundant backup' },
    );
}

/**
 * A server parameter declared as a configurations child, judged only where it is declared (undeclared parameters keep
 * their server defaults, which the control's rationale names). Other parameters yield no result.
 */
export function serverParameterRule(names: readonly string[], judge: (name: string, value: EvaluatedValue) => Judgement, what: string): Rule {
  const wanted = names.map((n) => n.toLowerCase());
  return (view) => {
    const name = lastNameSegment(view.name).toLowerCase();
    if (!wanted.includes(name)) return undefined;
    return decide(view, view.get('$.properties.value'), (v) => judge(name, v), { ifAbsent: 'fail', absentReason: 'the parameter is declared without a value', what });
  };
}
