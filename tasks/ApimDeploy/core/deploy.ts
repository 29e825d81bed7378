import { deployApi } from './deploy-api';
import { deployGlobalPolicy, deployProduct } from './deploy-product';
import type { ActionSettings, DeployOutputs } from './model';
import { releaseRevision } from './release-revision';
import type { DeployDeps } from './sources';

/** The one entry of the core: one action, its typed settings, injected dependencies. */
export function deploy(run: ActionSettings, deps: DeployDeps): Promise<DeployOutputs> {
  switch (run.action) {
    case 'api':
      return deployApi(run.api, deps);
    case 'product':
      return deployProduct(run.product, deps);
    case 'globalPolicy':
      return deployGlobalPolicy(run.global, deps);
    case 'releaseRevision':
      return releaseRevision(run.release, deps);
  }
}
