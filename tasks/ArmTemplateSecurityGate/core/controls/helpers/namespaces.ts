/** Event Hubs and Service Bus namespaces: public access may be closed on the namespace or on its networkRuleSets child. */

import { expectPublicAccessClosed, childViews } from './service-access';
import { pass, type Rule } from './results';

/**
 * publicNetworkAccess is read on the namespace; when that does not close the endpoint, a `networkRuleSets` child in the
 * template (API 2021-06-01 and later carry publicNetworkAccess there too) with publicNetworkAccess Disabled does.
 */
export function namespacePublicAccessClosed(childType: string): Rule {
  const onNamespace = expectPublicAccessClosed();
  return (view, ctx) => {
    const verdict = onNamespace(view, ctx);
    if (Array.isArray(verdict) || verdict?.outcome !== 'fail') return verdict;
    for (const child of childViews(view, ctx, childType)) {
      const l = child.get('$.properties.publicNetworkAccess');
      if (l.state === 'value' && typeof l.value === 'string' && l.value.toLowerCase() === 'disabled') {
        return pass(`The networkRuleSets resource '${child.name}' sets publicNetworkAccess to Disabled.`, l.location);
      }
    }
    return verdict;
  };
}
