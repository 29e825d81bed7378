import { fail, lookupAll, pass, resourceControl, show, snippet, unknownResult, type CheckResult, type Rule } from './helpers';

/** Runbooks publish from publishContentLink (or a draft link); modules import from contentLink. */
const LINKS = ['$.properties.publishContentLink.uri', '$.properties.draft.draftContentLink.uri', '$.properties.contentLink.uri'];

const rule: Rule = (view, ctx) => {
  const found = lookupAll(view, ctx, LINKS).filter((l) => l.state !== 'absent');
  if (!found.length) return undefined;
  return found.map((l): CheckResult => {
    const where = l.path.slice(1).join('.');
    if (l.state === 'unknown') return unknownResult(l, 'where the code comes from', view.resource);
    const uri = typeof l.value === 'string' ? l.value.trim() : '';
    return /^https:\/\//i.test(uri)
      ? pass(`${where} is fetched over HTTPS.`, l.location)
      : fail(`${where} is ${show(l.value)}: the code is fetched without TLS and can be replaced in transit.`, l.location);
  });
};

export default resourceControl(
  {
    id: 'automation-content-https',
    title: 'Automation runbook and module code is fetched over HTTPS',
    severity: 'high',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts/runbooks', 'Microsoft.Automation/automationAccounts/modules'],
    rationale:
      'A runbook imported from publishContentLink (or a draft content link), and a PowerShell module imported from ' +
      'contentLink, run with the account\'s identity, often with broad rights on the subscription. Fetched over plain HTTP, ' +
      'anyone on the path can swap the code for their own. Runbooks and modules without a content link are not judged.',
    remediation: {
      text: 'Serve runbooks and modules from https:// URIs (and pin their contentHash).',
      snippet: snippet({
        type: 'Microsoft.Automation/automationAccounts/runbooks',
        properties: { runbookType: 'PowerShell', publishContentLink: { uri: 'https://raw.githubusercontent.com/contoso/runbooks/v1.2.0/Start-Job.ps1', version: '1.2.0' } },
      }),
    },
    references: { mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
