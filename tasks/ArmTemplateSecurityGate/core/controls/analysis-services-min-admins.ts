import { expectValue, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'analysis-services-min-admins',
    title: 'Analysis Services server has at most {maximumAdministrators} administrators',
    severity: 'medium',
    featureSet: 'AnalysisService',
    resourceTypes: ['Microsoft.AnalysisServices/servers'],
    rationale:
      "Server administrators can do anything on the server, including reading every model. AzSK's limit of 2 is the default; " +
      'prefer a group as administrator over many individual accounts.',
    remediation: {
      text: 'List at most {maximumAdministrators} members in asAdministrators.members (use an Entra group).',
      snippet: snippet({ type: 'Microsoft.AnalysisServices/servers', properties: { asAdministrators: { members: ['obj:00000000-0000-0000-0000-000000000000@contoso.com'] } } }),
    },
    references: { azsk: ['Azure_AnalysisServices_AuthZ_Min_Admin'], mcsb: ['PA-1'] },
    since: '2026-11-23',
    parameters: { maximumAdministrators: { type: 'integer', default: 2, min: 1, doc: 'Most members asAdministrators.members may list.' } },
  },
  ({ maximumAdministrators }) =>
    expectValue(
      '$.properties.asAdministrators.members',
      (v) => {
        const n = Array.isArray(v) ? v.length : 0;
        return n <= maximumAdministrators
          ? { ok: true, detail: `the server has ${n} administrator(s)` }
          : { ok: false, detail: `the server has ${n} administrators, more than ${maximumAdministrators}` };
      },
      { ifAbsent: 'pass', absentReason: 'no administrators are declared', what: 'the administrators' },
    ),
);
