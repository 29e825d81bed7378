import { expectBool, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-web-sockets-disabled',
    title: 'App Service Web Sockets are off unless needed',
    severity: 'low',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'Web Sockets keep long-lived connections that bypass per-request controls many apps rely on (origin checks, request logging). ' +
      'AzSK rated this high; it is low here because Web Sockets are not insecure in themselves — an app that needs them should ' +
      'record that decision by suppressing this control. Off by default, so an unset value passes.',
    remediation: {
      text: 'Remove webSocketsEnabled or set it to false unless the app needs Web Sockets.',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { webSocketsEnabled: false } } }),
    },
    references: { azsk: ['Azure_AppService_Config_Disable_Web_Sockets'] },
    since: '2026-11-23',
  },
  expectBool(siteConfig('webSocketsEnabled'), false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'Web Sockets' }),
);
