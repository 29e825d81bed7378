import { expectValue, resourceControl, snippet } from './helpers';

const MAX_ADMINS = 2;

export default resourceControl(
  {
    id: 'analysis-services-min-admins',
    title: 'Analysis Services server has at most two administrators',
    severity: 'medium',
    featureSet: 'AnalysisService',
    resourceTypes: ['Microsoft.AnalysisServices/servers'],
    rationale:
      `Server administrators can do anything on the server, including reading every model. AzSK's limit of ${MAX_ADMINS} is kept; ` +
      'prefer a group as administrator over many individual accounts.',
    remediation: {
      text: `List at most ${MAX_ADMINS} members in asAdministrators.members (use an Entra group).`,
      snippet: snippet({ type: 'Microsoft.AnalysisServices/servers', properties: { asAdministrators: { members: ['obj:00000000-0000-0000-0000-000000000000@contoso.com'] } } }),
    },
    references: { azsk: ['Azure_AnalysisServices_AuthZ_Min_Admin'], mcsb: ['PA-1'] },
    since: '2026-11-23',
  },
  expectValue(
    '$.properties.asAdministrators.members',
    (v) => {
      const n = Array.isArray(v) ? v.length : 0;
      return { ok: n <= MAX_ADMINS, detail: n <= MAX_ADMINS ? `the server has ${n} administrator(s)` : `the server has ${n} administrators, more than ${MAX_ADMINS}` };
    },
    { ifAbsent: 'pass', absentReason: 'no administrators are declared', what: 'the administrators' },
  ),
);
