import { fail, lookupAll, pass, resourceControl, show, snippet, unknownResult, type CheckResult, type Rule } from './helpers';

const LINKS = ['$.properties.publishContentLink.uri', '$.properties.draft.draftContentLink.uri'];

const rule: Rule = (view, ctx) => {
  const found = lookupAll(view, ctx, LINKS).filter((l) => l.state !== 'absent');
  if (!found.length) return undefined;
  return found.map((l): CheckResult => {
    const where = l.path.slice(1).join('.');
    if (l.state === 'unknown') return unknownResult(l, 'where the runbook content comes from', view.resource);
    const uri = typeof l.value === 'string' ? l.value.trim() : '';
    return /^https:\/\//i.test(uri)
      ? pass(`${where} is fetched over HTTPS.`, l.location)
      : fail(`${where} is ${show(l.value)}: the runbook code is fetched without TLS and can be replaced in transit.`, l.location);
  });
};

export default resourceControl(
  {
    id: 'automation-runbook-https-content',
    title: 'Automation runbook content is fetched over HTTPS',
    severity: 'high',
    featureSet: 'Automation',
    resourceTypes: ['Microsoft.Automation/automationAccounts/runbooks'],
    rationale:
      'A runbook imported from publishContentLink (or a draft content link) runs with the account\'s identity, often with ' +
      'broad rights on the subscription. Fetched over plain HTTP, anyone on the path can swap the script for their own. ' +
      'Runbooks without a content link are not judged.',
    remediation: {
      text: 'Serve the runbook from an https:// URI (and pin its contentHash).',
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
