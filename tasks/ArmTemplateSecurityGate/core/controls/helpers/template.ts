/** Template-wide controls (parameters, outputs) and what makes a name or type secret. */

import type { ControlMeta, EvaluatedTemplate, TemplateCheckResult, TemplateControl } from '../../model';

export function templateControl(
  meta: ControlMeta,
  check: (template: EvaluatedTemplate) => TemplateCheckResult[],
): TemplateControl {
  return { kind: 'template', meta, check };
}

const SECRET_NAME = /(password|passwd|pwd|secret|token|credential|connectionstring|sastoken|saskey|accesskey|apikey|privatekey|(^|[^a-z])key$|key$)/i;
/** Names that contain a secret-like word but hold no secret (identifiers, switches, public material). */
const NOT_SECRET_NAME =
  /(publickey|keyvault|passwordauthentication|(name|names|id|ids|uri|url|version|size|type|length|count|days|expiry|expiration|enabled|policy|source|format|reference)$)/i;

export function isSecretLikeName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

export function isSecureType(type: string): boolean {
  const t = type.toLowerCase();
  return t === 'securestring' || t === 'secureobject';
}
