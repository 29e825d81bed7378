import { expectLocalAuthDisabled, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'machine-learning-compute-local-auth-disabled',
    title: 'Machine Learning computes refuse local authentication',
    severity: 'medium',
    featureSet: 'MachineLearning',
    resourceTypes: ['Microsoft.MachineLearningServices/workspaces/computes'],
    rationale:
      'Compute instances and clusters accept SSH with a local admin user and key-based access unless local authentication is ' +
      'turned off; those credentials are not tied to an identity, do not expire and bypass conditional access. With ' +
      'disableLocalAuth true, only Entra ID and managed identities reach the compute. Local authentication is allowed by default.',
    remediation: {
      text: 'Set properties.disableLocalAuth to true on each compute and give users access through workspace roles.',
      snippet: snippet({ type: 'Microsoft.MachineLearningServices/workspaces/computes', properties: { computeType: 'AmlCompute', disableLocalAuth: true } }),
    },
    references: { mcsb: ['IM-1'] },
    since: '2026-12-07',
  },
  expectLocalAuthDisabled(),
);
