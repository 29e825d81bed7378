/**
 * How data services are reached and who may sign in: public network access, local (key/SAS) authentication,
 * parent/child settings (a database inherits its server's, a child resource carries the setting).
 */

import type { CheckContext, CheckResult } from '../../model';
import { asBool } from './expectations';
import { lastNameSegment, ResourceView, type Lookup } from './lookup';
import { decide, fail, pass, show, unknownResult, type Rule } from './results';

/** Values of publicNetworkAccess that keep the public endpoint closed (SecuredByPerimeter: only a network security perimeter). */
const CLOSED = ['disabled', 'securedbyperimeter'];

export interface PublicAccessOptions {
  /** Where publicNetworkAccess is written; default properties.publicNetworkAccess. */
  path?: string;
  /**
   * A setting that closes the public endpoint even when publicNetworkAccess is open or unset (a firewall whose
   * default action is Deny, injection into a virtual network). Asked only when publicNetworkAccess does not decide.
   */
  closedBy?: (view: ResourceView) => Lookup | undefined;
  /** Describes closedBy for messages: "networkAcls.defaultAction is Deny". */
  closedByText?: string;
  /** Why an unset publicNetworkAccess is open ("defaults to Enabled"). */
  absentReason?: string;
}

function isClosed(value: unknown): boolean {
  return typeof value === 'string' && CLOSED.includes(value.trim().toLowerCase());
}

/**
 * The public endpoint is closed: publicNetworkAccess is Disabled (or SecuredByPerimeter), or `closedBy` says the
 * endpoint is otherwise unreachable. Unset means open: every service here defaults to Enabled.
 */
export function expectPublicAccessClosed(options: PublicAccessOptions = {}): Rule {
  const path = options.path ?? '$.properties.publicNetworkAccess';
  return (view) => {
    const l = view.get(path);
    if (l.state === 'unknown') return unknownResult(l, 'public network access', view.resource);
    if (l.state === 'value' && isClosed(l.value)) return pass(`publicNetworkAccess is ${show(l.value)}.`, l.location);
    const other = options.closedBy?.(view);
    if (other?.state === 'unknown') return unknownResult(other, 'public network access', view.resource);
    if (other?.state === 'value') {
      return pass(`The public endpoint is closed: ${options.closedByText ?? 'another setting closes it'} (publicNetworkAccess ${l.state === 'value' ? show(l.value) : 'not set'}).`, other.location);
    }
    if (l.state === 'value') return fail(`publicNetworkAccess is ${show(l.value)}: the service accepts connections from the Internet.`, l.location);
    return fail(`publicNetworkAccess is not set (${options.absentReason ?? 'defaults to Enabled'}): the service accepts connections from the Internet.`, l.location);
  };
}

/** A lookup that counts only when its value satisfies `accept` (used to build closedBy). */
export function valueWhen(l: Lookup, accept: (v: unknown) => boolean): Lookup | undefined {
  if (l.state === 'unknown') return l;
  if (l.state === 'value' && accept(l.value)) return l;
  return undefined;
}

/** networkAcls.defaultAction (or another path) equals Deny: the firewall admits only listed networks. */
export function firewallDenies(path = '$.properties.networkAcls.defaultAction'): (view: ResourceView) => Lookup | undefined {
  return (view) => valueWhen(view.get(path), (v) => typeof v === 'string' && v.trim().toLowerCase() === 'deny');
}

/** A non-empty string at `path` (a subnet id for virtual network injection, for example). */
export function hasText(path: string): (view: ResourceView) => Lookup | undefined {
  return (view) => valueWhen(view.get(path), (v) => typeof v === 'string' && v.trim().length > 0);
}

/**
 * Local authentication (access keys, SAS, shared keys) is turned off, so every caller is an Entra identity that
 * can be scoped, audited and revoked. Every service here defaults to keys on.
 */
export function expectLocalAuthDisabled(path = '$.properties.disableLocalAuth', what = 'local authentication'): Rule {
  return (view) =>
    decide(
      view,
      view.get(path),
      (v) => {
        const b = asBool(v);
        return b === true ? { ok: true, detail: 'is true: only Entra ID identities can authenticate' } : { ok: false, detail: `is ${show(v)}: access keys or SAS tokens are accepted` };
      },
      { ifAbsent: 'fail', absentReason: 'local authentication is on by default', what },
    );
}

/** The enclosing resource of `type` declared in the same template (a database's server), by name prefix. */
export function parentInTemplate(view: ResourceView, ctx: CheckContext, type: string): ResourceView | undefined {
  const parts = view.name.split('/');
  if (parts.length < 2) return undefined;
  const parentName = parts.slice(0, -1).join('/').toLowerCase();
  const wanted = type.toLowerCase();
  const found = ctx.template.resources.find((r) => !r.existing && r.type.toLowerCase() === wanted && r.name.toLowerCase() === parentName);
  return found ? new ResourceView(found) : undefined;
}

/** Children of `type` (not `existing`) declared in the template, by name or dependsOn (see CheckContext.related). */
export function childViews(view: ResourceView, ctx: CheckContext, type: string): ResourceView[] {
  return ctx.related(view.resource, type).filter((r) => !r.existing).map((r) => new ResourceView(r));
}

/** Children whose last name segment is `name` (case-insensitive): the 'default' policy, the 'current' setting. */
export function namedChild(children: ResourceView[], name: string): ResourceView[] {
  return children.filter((c) => lastNameSegment(c.name).toLowerCase() === name.toLowerCase());
}

/** Judges each child with `judge`; none → `none()` decides. */
export function eachChild(children: ResourceView[], judge: (child: ResourceView) => CheckResult, none: () => CheckResult): CheckResult[] {
  return children.length ? children.map(judge) : [none()];
}

/** What a diagnostic setting's logs list turns on: categories and category groups (lower-cased), entries known only at deployment apart. */
export interface EnabledLogs {
  categories: Set<string>;
  groups: Set<string>;
  /** First entry (or the list) whose relevant fields are known only at deployment. */
  unknown?: Lookup & { state: 'unknown' };
  /** The list itself, or where it should be. */
  lookup: Lookup;
}

export function readEnabledLogs(view: ResourceView, path = '$.properties.logs'): EnabledLogs {
  const l = view.getShallow(path);
  const out: EnabledLogs = { categories: new Set(), groups: new Set(), lookup: l };
  if (l.state === 'unknown') return { ...out, unknown: l };
  if (l.state !== 'value' || !Array.isArray(l.value)) return out;
  l.value.forEach((_, i) => {
    const at = (key: string): Lookup => view.get([...l.path, i, key]);
    const enabled = at('enabled');
    const category = at('category');
    const group = at('categoryGroup');
    for (const x of [enabled, category, group]) {
      if (x.state === 'unknown') {
        out.unknown ??= x;
        return;
      }
    }
    if (enabled.state !== 'value' || asBool(enabled.value) !== true) return;
    if (category.state === 'value' && typeof category.value === 'string') out.categories.add(category.value.toLowerCase());
    if (group.state === 'value' && typeof group.value === 'string') out.groups.add(group.value.toLowerCase());
  });
  return out;
}
