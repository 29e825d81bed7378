import { expectOneOf, resourceControl, SITES_AND_SLOTS, siteConfig, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-ftps-disabled',
    title: 'App Service does not accept plain FTP',
    severity: 'medium',
    featureSet: 'AppService',
    ...SITES_AND_SLOTS,
    rationale:
      'Plain FTP sends deployment credentials and content unencrypted. ftpsState "AllAllowed" permits it; "FtpsOnly" or ' +
      '"Disabled" do not. AzSK had no FTP control; it is added because deployment credentials are as sensitive as app data. ' +
      'The value may be set in siteConfig or in the sites/config "web" resource; when unset the platform may allow FTP, so it fails. ' +
      'A siteConfig written beside properties instead of inside it is not where ARM reads it, so the value counts as unset (Checkov reads it there).',
    remediation: {
      text: 'Set ftpsState to "Disabled" (or "FtpsOnly" if FTP deployment is still needed).',
      snippet: snippet({ type: 'Microsoft.Web/sites', properties: { siteConfig: { ftpsState: 'Disabled' } } }),
    },
    references: { checkov: ['CKV_AZURE_78'], psrule: ['Azure.AppService.WebSecureFtp'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  expectOneOf(siteConfig('ftpsState'), ['Disabled', 'FtpsOnly'], {
    ifAbsent: 'fail',
    absentReason: 'FTP may be allowed when unset',
    what: 'the FTP state',
  }),
);
