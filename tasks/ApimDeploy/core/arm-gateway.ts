import type { ApimGateway } from './gateway';
import { armApis } from './arm/apis';
import { armBackends } from './arm/backends';
import { createArmContext, type ArmGatewayOptions } from './arm/context';
import { armNamedValues } from './arm/named-values';
import { armPolicies } from './arm/policies';
import { armProducts } from './arm/products';
import { armService } from './arm/service';
import { armTags } from './arm/tags';
import { armVersionSets } from './arm/version-sets';

export { API_VERSION, DEFAULT_REQUEST_TIMEOUT_MS, type ArmGatewayOptions } from './arm/context';

/**
 * ApimGateway over @azure/arm-apimanagement (api-version 2024-05-01), one module per entity kind
 * under arm/ sharing one context. The SDK pipeline retries 429/5xx honouring Retry-After and polls
 * long-running operations; the context bounds the polling and turns every failure into a message
 * that names what was being done. A task that needs fewer entities composes only those modules.
 */
export function createArmGateway(options: ArmGatewayOptions): ApimGateway {
  const ctx = createArmContext(options);
  return {
    ...armService(ctx),
    ...armApis(ctx),
    ...armVersionSets(ctx),
    ...armTags(ctx),
    ...armPolicies(ctx),
    ...armNamedValues(ctx),
    ...armBackends(ctx),
    ...armProducts(ctx),
  };
}
