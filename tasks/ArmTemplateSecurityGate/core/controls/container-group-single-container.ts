import { decide, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'container-group-single-container',
    title: 'Container group holds only containers that trust each other',
    severity: 'medium',
    featureSet: 'ContainerInstances',
    resourceTypes: ['Microsoft.ContainerInstance/containerGroups'],
    rationale:
      'Containers in one group share a network namespace, can see each other\'s traffic and may share volumes. A group with more ' +
      'than {maximumContainers} container(s) is reported so that the trust between them is reviewed (then suppressed with the reason, e.g. an ' +
      'app with its own sidecar). AzSK rated this high; it is medium here because sidecars are a common, legitimate pattern.',
    remediation: {
      text: 'Split containers with different trust levels into separate groups.',
      snippet: snippet({ type: 'Microsoft.ContainerInstance/containerGroups', properties: { containers: [{ name: 'app', properties: { image: 'contoso.azurecr.io/app:1.0' } }] } }),
    },
    references: { azsk: ['Azure_ContainerInstances_AuthZ_Container_Segregation'], mcsb: ['NS-1'] },
    since: '2026-11-23',
    parameters: { maximumContainers: { type: 'integer', default: 1, min: 1, doc: 'Most containers a group may hold before it is reported for review.' } },
  },
  // Only the number of containers matters; their settings may be known only at deployment.
  ({ maximumContainers }) =>
    (view) =>
      decide(
        view,
        view.getShallow('$.properties.containers'),
        (v) => {
          const n = Array.isArray(v) ? v.length : 0;
          return n <= maximumContainers
            ? { ok: true, detail: `the group has ${n} container${n === 1 ? '' : 's'}` }
            : { ok: false, detail: `the group has ${n} containers; confirm they trust each other` };
        },
        { ifAbsent: 'pass', absentReason: 'no containers are declared', what: 'the containers' },
      ),
);
