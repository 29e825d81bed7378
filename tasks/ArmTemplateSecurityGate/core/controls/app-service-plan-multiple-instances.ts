import { expectIntAtLeast, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'app-service-plan-multiple-instances',
    title: 'App Service plan runs at least two instances',
    severity: 'medium',
    featureSet: 'AppService',
    resourceTypes: ['Microsoft.Web/serverfarms'],
    rationale:
      'A single instance is a single point of failure: platform maintenance or a crash takes every app on the plan down. ' +
      'sku.capacity defaults to 1, so it must be set to {minimumInstances} or more (autoscale rules may raise it further).',
    remediation: {
      text: 'Set sku.capacity to {minimumInstances} or more.',
      snippet: snippet({ type: 'Microsoft.Web/serverfarms', sku: { name: 'P1v3', capacity: 2 } }),
    },
    references: { azsk: ['Azure_AppService_BCDR_Use_Multiple_Instances'], psrule: ['Azure.AppService.PlanInstanceCount'] },
    since: '2026-11-23',
    parameters: { minimumInstances: { type: 'integer', default: 2, min: 1, doc: 'Fewest instances (sku.capacity) a plan may run.' } },
  },
  ({ minimumInstances }) =>
    expectIntAtLeast('$.sku.capacity', minimumInstances, { ifAbsent: 'fail', absentValue: 1, absentReason: 'defaults to 1 instance', what: 'the instance count' }),
);
