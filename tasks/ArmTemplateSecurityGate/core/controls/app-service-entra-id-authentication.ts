import {
  asBool,
  CheckResultOrNone,
  fail,
  isNonEmptyString,
  Lookup,
  lookupAll,
  onRelated,
  pass,
  resourceControl,
  ResourceView,
  Rule,
  show,
  SITES_AND_SLOTS,
  snippet,
  unknownResult,
} from './helpers';

/** The site's or the slot's own config child (see onRelated). */
const CONFIG = './config';

/** Judges one way of configuring authentication: enabled flag + client id. */
function judgeScheme(view: ResourceView, enabled: Lookup | undefined, clientId: Lookup | undefined, label: string): CheckResultOrNone {
  if (!enabled || enabled.state === 'absent') return undefined;
  if (enabled.state === 'unknown') return unknownResult(enabled, `whether ${label} is enabled`, view.resource);
  if (asBool(enabled.value) !== true) return fail(`${label} is present but not enabled (${show(enabled.value)}).`, enabled.location);
  if (!clientId || clientId.state === 'absent') return fail(`${label} is enabled but has no Microsoft Entra ID client id.`, enabled.location);
  if (clientId.state === 'unknown') return unknownResult(clientId, `the Entra ID client id of ${label}`, view.resource);
  return isNonEmptyString(clientId.value)
    ? pass(`${label} is enabled with Microsoft Entra ID.`, clientId.location)
    : fail(`${label} is enabled but the Entra ID client id is ${show(clientId.value)}.`, clientId.location);
}

const rule: Rule = (view, ctx) => {
  const v2Enabled = lookupAll(view, ctx, [onRelated(CONFIG, '$.properties.platform.enabled', 'authsettingsV2')])[0];
  const v2Client = lookupAll(view, ctx, [onRelated(CONFIG, '$.properties.identityProviders.azureActiveDirectory.registration.clientId', 'authsettingsV2')])[0];
  const v1Enabled = lookupAll(view, ctx, [onRelated(CONFIG, '$.properties.enabled', 'authsettings')])[0];
  const v1Client = lookupAll(view, ctx, [onRelated(CONFIG, '$.properties.clientId', 'authsettings')])[0];
  const legacyEnabled = view.get('$.properties.siteConfig.siteAuthEnabled');
  const legacyClient = view.get('$.properties.siteConfig.siteAuthSettings.clientId');
  const verdict =
    judgeScheme(view, v2Enabled, v2Client, "Authentication (sites/config 'authsettingsV2')") ??
    judgeScheme(view, v1Enabled, v1Client, "Authentication (sites/config 'authsettings')") ??
    judgeScheme(view, legacyEnabled, legacyClient, 'Authentication (siteConfig.siteAuthEnabled)');
  return verdict ?? fail(`No App Service authentication is configured for site '${view.name}'.`, view.location);
};

export default resourceControl(
  {
    id: 'app-service-entra-id-authentication',
    title: 'App Service authenticates users with Microsoft Entra ID',
    severity: 'high',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'Built-in authentication with the organisation\'s directory gives every request an identity before it reaches app code. ' +
      'AzSK read siteConfig.siteAuthEnabled/siteAuthSettings, which current API versions ignore; today authentication is a ' +
      "Microsoft.Web/sites/config resource named 'authsettingsV2' (platform.enabled + identityProviders.azureActiveDirectory) or the " +
      "older 'authsettings'. All three places are read, newest first. Apps that authenticate in code should suppress this control with a reason.",
    remediation: {
      text: "Add a Microsoft.Web/sites/config resource named 'authsettingsV2' with platform.enabled true and an Entra ID registration.",
      snippet: snippet({
        type: 'Microsoft.Web/sites/config',
        name: "[concat(parameters('siteName'), '/authsettingsV2')]",
        properties: {
          platform: { enabled: true },
          globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
          identityProviders: { azureActiveDirectory: { enabled: true, registration: { clientId: "[parameters('clientId')]" } } },
        },
      }),
    },
    references: { azsk: ['Azure_AppService_AuthN_Use_AAD_for_Client_AuthN'], checkov: ['CKV_AZURE_13'], mcsb: ['IM-1'] },
    since: '2026-11-23',
  },
  rule,
);
