import { decide, isObject, prop, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'data-factory-git-repository',
    title: 'Data Factory pipelines are kept in a Git repository',
    severity: 'low',
    featureSet: 'DataFactory',
    resourceTypes: ['Microsoft.DataFactory/factories'],
    rationale:
      'Without source control, pipelines and linked services are edited live: a change that sends data elsewhere has no ' +
      'review, no history and no author beyond the activity log. repoConfiguration connects the factory to Azure DevOps or ' +
      'GitHub, so changes go through pull requests and can be reverted.',
    remediation: {
      text: 'Set properties.repoConfiguration (FactoryVSTSConfiguration or FactoryGitHubConfiguration) on the development factory.',
      snippet: snippet({
        type: 'Microsoft.DataFactory/factories',
        properties: { repoConfiguration: { type: 'FactoryGitHubConfiguration', accountName: 'contoso', repositoryName: 'adf', collaborationBranch: 'main', rootFolder: '/' } },
      }),
    },
    references: { checkov: ['CKV_AZURE_103'], mcsb: ['DS-6'] },
    since: '2026-12-07',
  },
  (view) =>
    decide(
      view,
      view.get('$.properties.repoConfiguration'),
      (v) => {
        const type = isObject(v) ? prop(v, 'type') : undefined;
        return typeof type === 'string' && type.trim() ? { ok: true, detail: `is a ${type}` } : { ok: false, detail: 'names no repository type' };
      },
      { ifAbsent: 'fail', absentReason: 'pipelines are edited live', what: 'the source control configuration' },
    ),
);
