import { urlSecrets } from '../../common/http/redact';
import { deployApi } from './deploy-api';
import { deployBackend } from './deploy-backend';
import { deployNamedValue } from './deploy-named-value';
import { deployGlobalPolicy, deployProduct } from './deploy-product';
import type { ActionSettings, DeployOutputs } from './model';
import { onlyNamedValueReferences } from './policy-xml';
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
    case 'namedValue':
      return deployNamedValue(run.namedValue, deps);
    case 'backend':
      return deployBackend(run.backend, deps);
  }
}

/**
 * Values in the settings that must never be printed: a secret named value, backend credentials
 * (header and query values, the authorization parameter) unless they only reference named values,
 * and the credentials inside a URL input (SAS signature, function key, password). The task registers them with the agent before anything runs.
 */
export function settingsSecrets(run: ActionSettings): string[] {
  switch (run.action) {
    case 'api': {
      // A definition URL may be a SAS link (sig=) and a backend URL may carry a key (code=).
      const a = run.api;
      return [...(a.spec.kind === 'url' ? urlSecrets(a.spec.url) : []), ...(a.serviceUrl ? urlSecrets(a.serviceUrl) : [])];
    }
    case 'namedValue': {
      const s = run.namedValue;
      return s.source.kind === 'value' && s.secret ? [s.source.value] : [];
    }
    case 'backend': {
      const b = run.backend;
      const values = [...Object.values(b.headers ?? {}).flat(), ...Object.values(b.query ?? {}).flat(), ...(b.authorization ? [b.authorization.parameter] : [])];
      return [...values.filter((v) => !onlyNamedValueReferences(v)), ...urlSecrets(b.url)];
    }
    default:
      return [];
  }
}
