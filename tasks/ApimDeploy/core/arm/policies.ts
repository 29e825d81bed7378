import type { PolicyGateway, PolicyScope } from '../gateway';
import { orUndefined, type ArmContext } from './context';

interface PolicyCalls {
  what: string;
  get(): Promise<{ value?: string }>;
  put(value: string): Promise<unknown>;
}

/** Policies at every scope, read and written as raw XML (policy expressions keep their quotes and brackets). */
export function armPolicies({ client, rg, svc, call, raw }: ArmContext): PolicyGateway {
  function calls(scope: PolicyScope): PolicyCalls {
    switch (scope.kind) {
      case 'global':
        return {
          what: 'the global policy',
          get: () => client.policy.get(rg, svc, 'policy', { format: 'rawxml' }),
          put: (value) => client.policy.createOrUpdate(rg, svc, 'policy', { format: 'rawxml', value }),
        };
      case 'product':
        return {
          what: `the policy of product '${scope.productId}'`,
          get: () => client.productPolicy.get(rg, svc, scope.productId, 'policy', { format: 'rawxml' }),
          put: (value) => client.productPolicy.createOrUpdate(rg, svc, scope.productId, 'policy', { format: 'rawxml', value }),
        };
      case 'api':
        return {
          what: `the policy of API '${scope.apiId}'`,
          // apiPolicy.get in SDK 10.0.0 is generated with isXML and loses `value` from the JSON answer;
          // read it directly instead.
          get: async () => {
            const r = await raw('GET', `apis/${encodeURIComponent(scope.apiId)}/policies/policy`, '&format=rawxml');
            return (JSON.parse(r.bodyAsText ?? '{}') as { properties?: { value?: string } }).properties ?? {};
          },
          put: (value) => client.apiPolicy.createOrUpdate(rg, svc, scope.apiId, 'policy', { format: 'rawxml', value }),
        };
      case 'operation':
        return {
          what: `the policy of operation '${scope.operationId}' of API '${scope.apiId}'`,
          get: () => client.apiOperationPolicy.get(rg, svc, scope.apiId, scope.operationId, 'policy', { format: 'rawxml' }),
          put: (value) => client.apiOperationPolicy.createOrUpdate(rg, svc, scope.apiId, scope.operationId, 'policy', { format: 'rawxml', value }),
        };
    }
  }

  return {
    getPolicy: (scope) => {
      const p = calls(scope);
      return call(`Reading ${p.what}`, async () => (await orUndefined(() => p.get()))?.value);
    },

    putPolicy: (scope, rawXml) => {
      const p = calls(scope);
      return call(`Writing ${p.what}`, async () => void (await p.put(rawXml)));
    },
  };
}
