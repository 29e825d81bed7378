import { createArmGateway } from '../arm-gateway';
import { createArmContext, type ArmGatewayOptions } from '../arm/context';
import { armInventory } from '../arm/inventory';
import { armSharedEntities } from '../arm/shared-entities';
import { armSubscriptions } from '../arm/subscriptions';
import type { StateGateway } from './live';

/** The v1 gateway and the inventory module over one SDK client (the request-timeout policy is added once). */
export function createStateGateway(options: ArmGatewayOptions): StateGateway {
  const ctx = createArmContext(options);
  return { ...createArmGateway(options), ...armInventory(ctx), ...armSharedEntities(ctx), ...armSubscriptions(ctx) };
}
