import type { ServiceGateway } from '../gateway';
import type { ArmContext } from './context';

export function armService({ client, rg, svc, serviceId, call }: ArmContext): ServiceGateway {
  return {
    getService: () =>
      call(`Reading API Management service '${svc}' in resource group '${rg}'`, async () => {
        const s = await client.apiManagementService.get(rg, svc);
        return { sku: s.sku?.name ?? 'Developer', gatewayUrl: s.gatewayUrl };
      }),

    resourceId: (relative) => `${serviceId}/${relative}`,
  };
}
