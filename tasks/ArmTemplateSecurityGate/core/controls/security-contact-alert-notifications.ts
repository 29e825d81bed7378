import { asBool, fail, isObject, pass, prop, resourceControl, show, snippet, unknownResult, type Lookup, type Rule } from './helpers';

function isOn(v: unknown): boolean {
  return (typeof v === 'string' && v.trim().toLowerCase() === 'on') || v === true;
}

/**
 * Three API shapes: 2017-08-01-preview (alertNotifications "On", alertsToAdmins "On"), 2020-01-01-preview
 * (alertNotifications.state, notificationsByRole.state) and 2023-12-01-preview (isEnabled, notificationsSources of type Alert,
 * notificationsByRole.state).
 */
const rule: Rule = (view) => {
  const alerts = view.get('$.properties.alertNotifications');
  const enabled = view.get('$.properties.isEnabled');
  const sources = view.get('$.properties.notificationsSources');
  const legacyAdmins = view.get('$.properties.alertsToAdmins');
  const byRole = view.get('$.properties.notificationsByRole.state');
  for (const l of [alerts, enabled, sources, legacyAdmins, byRole]) if (l.state === 'unknown') return unknownResult(l, 'security alert notifications', view.resource);

  let alertsOn: { on: boolean; at: Lookup };
  if (alerts.state === 'value') {
    const v = isObject(alerts.value) ? prop(alerts.value, 'state') : alerts.value;
    alertsOn = { on: isOn(v), at: alerts };
  } else if (enabled.state === 'value' || sources.state === 'value') {
    const hasAlertSource =
      sources.state === 'value' && Array.isArray(sources.value) && sources.value.some((s) => isObject(s) && String(prop(s, 'sourceType') ?? '').toLowerCase() === 'alert');
    alertsOn = { on: (enabled.state !== 'value' || asBool(enabled.value) === true) && hasAlertSource, at: sources.state === 'value' ? sources : enabled };
  } else {
    alertsOn = { on: false, at: alerts };
  }
  if (!alertsOn.on) return fail(`Alert e-mails are off (${alertsOn.at.path.slice(1).join('.') || 'alertNotifications'} ${alertsOn.at.state === 'value' ? show(alertsOn.at.value) : 'not set'}): high-severity Defender alerts reach nobody.`, alertsOn.at.location);
  const admins = legacyAdmins.state === 'value' ? legacyAdmins : byRole;
  if (admins.state !== 'value' || !isOn(admins.value)) {
    return fail(`Subscription owners are not notified (${admins.state === 'value' ? show(admins.value) : 'alertsToAdmins / notificationsByRole.state not set'}).`, admins.location);
  }
  return pass('Security alerts are e-mailed to the contact and to the subscription owners.', alertsOn.at.location);
};

export default resourceControl(
  {
    id: 'security-contact-alert-notifications',
    title: 'Defender for Cloud e-mails security alerts to the contact and the owners',
    severity: 'medium',
    featureSet: 'DefenderForCloud',
    resourceTypes: ['Microsoft.Security/securityContacts'],
    rationale:
      'Defender raises alerts whether or not anyone reads them. A security contact that does not e-mail alerts, or does not ' +
      'include the subscription owners, leaves an active attack to be found in the portal by chance. Checked across the ' +
      'three API shapes of securityContacts.',
    remediation: {
      text: 'Turn on alert notifications (minimal severity High or lower) and notifications to the Owner role.',
      snippet: snippet({
        type: 'Microsoft.Security/securityContacts',
        name: 'default',
        properties: {
          emails: "[parameters('securityEmail')]",
          isEnabled: true,
          notificationsByRole: { state: 'On', roles: ['Owner'] },
          notificationsSources: [{ sourceType: 'Alert', minimalSeverity: 'High' }],
        },
      }),
    },
    references: { checkov: ['CKV_AZURE_21', 'CKV_AZURE_22'], mcsb: ['IR-2'] },
    since: '2026-12-07',
  },
  rule,
);
