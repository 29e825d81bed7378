import { expectBool, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-remote-debugging-disabled',
    title: 'App Service remote debugging is off',
    severity: 'high',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'Remote debugging opens extra inbound ports and lets a debugger attach to the production process. ' +
      'It is off by default, so an unset value passes; an explicit true fails.',
    remediation: {
      text: 'Remove remoteDebuggingEnabled or set it to false.',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { remoteDebuggingEnabled: false } } }),
    },
    references: {
      azsk: ['Azure_AppService_Config_Disable_Remote_Debugging'],
      checkov: ['CKV_AZURE_72'],
      psrule: ['Azure.AppService.RemoteDebug'],
      mcsb: ['PV-2'],
    },
    since: '2026-11-23',
  },
  expectBool(siteConfig('remoteDebuggingEnabled'), false, { ifAbsent: 'pass', absentReason: 'defaults to false', what: 'remote debugging' }),
);
