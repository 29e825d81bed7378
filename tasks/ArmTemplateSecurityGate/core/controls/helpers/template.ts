/** Template-wide controls (parameters, outputs) and what makes a name or type secret. */

import type { ControlMeta, ControlParameters, EvaluatedTemplate, ParameterValues, TemplateCheckResult, TemplateControl } from '../../model';
import { configurable, type ParameterSettings } from './parameters';

type TemplateCheck = (template: EvaluatedTemplate) => TemplateCheckResult[];

/** A control over the template as a whole; with parameters, like resourceControl, a check factory. */
export function templateControl(meta: ControlMeta & { parameters?: undefined }, check: TemplateCheck): TemplateControl;
export function templateControl<P extends ControlParameters>(meta: ControlMeta & { parameters: P }, check: (values: ParameterValues<P>) => TemplateCheck): TemplateControl;
export function templateControl(meta: ControlMeta, check: TemplateCheck | ((values: ParameterSettings) => TemplateCheck)): TemplateControl {
  return configurable<TemplateControl>(meta, (m, values) => ({
    kind: 'template',
    meta: m,
    check: meta.parameters ? (check as (values: ParameterSettings) => TemplateCheck)(values) : (check as TemplateCheck),
  }));
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
