/** App Service: site settings written on the site, its slot, or its config resource. */

import type { CheckContext, CheckResult } from '../../model';
import { onRelated, ResourceView, type Candidate } from './lookup';

/**
 * App Service site settings may be written in `properties.siteConfig` of the site (or slot) or in
 * its `config` child resource named 'web' (Microsoft.Web/sites/config, Microsoft.Web/sites/slots/config).
 * The config resource is applied after the site, so when both set a value the config resource wins:
 * it is listed first.
 */
export function siteConfig(setting: string): Candidate[] {
  return [onRelated('./config', `$.properties.${setting}`, 'web'), `$.properties.siteConfig.${setting}`];
}

/** Deployment slots: coverage the App Service controls gained on this date (see ControlMeta.typesSince). */
export const SITES_AND_SLOTS = { resourceTypes: ['Microsoft.Web/sites', 'Microsoft.Web/sites/slots'], typesSince: { 'Microsoft.Web/sites/slots': '2026-12-02' } };

export type CheckResultOrNone = CheckResult | undefined;

/** Related resources (not `existing`) as views. */
export function ctxRelated(view: ResourceView, ctx: CheckContext, type: string): ResourceView[] {
  return ctx.related(view.resource, type).filter((r) => !r.existing).map((r) => new ResourceView(r));
}

