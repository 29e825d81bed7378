import { asBool, childViews, fail, namedChild, pass, resourceControl, show, snippet, unknownResult, type Rule } from './helpers';

/** The two publishing endpoints that accept the site's basic (username/password) publishing credentials. */
const ENDPOINTS = ['scm', 'ftp'];

const rule: Rule = (view, ctx) => {
  const slot = view.type.toLowerCase() === 'microsoft.web/sites/slots';
  const policies = childViews(view, ctx, `${slot ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites'}/basicPublishingCredentialsPolicies`);
  const open: string[] = [];
  for (const endpoint of ENDPOINTS) {
    const found = namedChild(policies, endpoint);
    if (!found.length) {
      open.push(`${endpoint} (no basicPublishingCredentialsPolicies/${endpoint} resource: allowed by default)`);
      continue;
    }
    const allow = found[0]!.get('$.properties.allow');
    if (allow.state === 'unknown') return unknownResult(allow, `basic authentication on ${endpoint}`, view.resource);
    if (allow.state !== 'value' || asBool(allow.value) !== false) open.push(`${endpoint} (allow is ${allow.state === 'value' ? show(allow.value) : 'not set'})`);
  }
  if (open.length) return fail(`Basic publishing credentials are accepted on ${open.join(', ')}: a leaked publish profile deploys code.`, view.location);
  return pass('Basic publishing credentials are refused on SCM (Kudu, zip deploy) and FTP.', view.location);
};

export default resourceControl(
  {
    id: 'app-service-basic-auth-disabled',
    title: 'App Service refuses basic publishing credentials (SCM and FTP)',
    severity: 'medium',
    featureSet: 'AppService',
    resourceTypes: ['Microsoft.Web/sites', 'Microsoft.Web/sites/slots'],
    rationale:
      'Every site and slot has publishing credentials (the publish profile) that the SCM endpoint (Kudu, zip deploy, Web ' +
      'Deploy) and FTP accept with basic authentication. They are a shared secret downloadable by anyone with contributor ' +
      'rights, are not tied to an identity, bypass MFA and conditional access, and whoever holds them can deploy code. ' +
      'Sites created through the API accept them unless basicPublishingCredentialsPolicies/scm and /ftp set allow to false; ' +
      'deployments then use Entra ID (az webapp deploy, pipelines with a service connection).',
    remediation: {
      text: 'Deploy basicPublishingCredentialsPolicies children named "scm" and "ftp" with properties.allow false for each site and slot.',
      snippet: snippet({ type: 'Microsoft.Web/sites/basicPublishingCredentialsPolicies', name: "[format('{0}/scm', parameters('siteName'))]", properties: { allow: false } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  rule,
);
