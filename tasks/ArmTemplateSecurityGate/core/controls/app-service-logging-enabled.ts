import { allOf, expectBool, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

const flag = (name: string) =>
  expectBool(siteConfig(name), true, { ifAbsent: 'fail', absentReason: 'defaults to false', what: name });

export default resourceControl(
  {
    id: 'app-service-logging-enabled',
    title: 'App Service HTTP logging, detailed errors and failed-request tracing are on',
    severity: 'medium',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'Web server logs, detailed error pages (kept server-side) and failed request traces are the trail needed to investigate ' +
      'an incident. All three default to off. Each may be set in siteConfig or in the sites/config "web" resource.',
    remediation: {
      text: 'Set httpLoggingEnabled, detailedErrorLoggingEnabled and requestTracingEnabled to true.',
      snippet: snippet({
        type: 'Microsoft.Web/sites',
        properties: { siteConfig: { httpLoggingEnabled: true, detailedErrorLoggingEnabled: true, requestTracingEnabled: true } },
      }),
    },
    references: {
      azsk: ['Azure_AppService_Audit_Enable_Logging_and_Monitoring'],
      checkov: ['CKV_AZURE_63', 'CKV_AZURE_65', 'CKV_AZURE_66'],
      mcsb: ['LT-3'],
    },
    since: '2026-11-23',
  },
  allOf(flag('httpLoggingEnabled'), flag('detailedErrorLoggingEnabled'), flag('requestTracingEnabled')),
);
