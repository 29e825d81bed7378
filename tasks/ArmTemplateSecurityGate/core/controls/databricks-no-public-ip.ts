import { expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'databricks-no-public-ip',
    title: 'Databricks clusters have no public IP addresses (secure cluster connectivity)',
    severity: 'medium',
    featureSet: 'DataBricks',
    resourceTypes: ['Microsoft.Databricks/workspaces'],
    rationale:
      'Without secure cluster connectivity every cluster node gets a public IP and an inbound port opened for the control ' +
      'plane. With parameters.enableNoPublicIp true the nodes have private addresses only and connect out through a relay. ' +
      'The parameter is read from the workspace\'s custom parameters.',
    remediation: {
      text: 'Set properties.parameters.enableNoPublicIp.value to true.',
      snippet: snippet({ type: 'Microsoft.Databricks/workspaces', properties: { parameters: { enableNoPublicIp: { value: true } } } }),
    },
    references: { psrule: ['Azure.Databricks.SecureConnectivity'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  expectBool('$.properties.parameters.enableNoPublicIp.value', true, { ifAbsent: 'fail', absentReason: 'older API versions default to public IPs', what: 'secure cluster connectivity' }),
);
