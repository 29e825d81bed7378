import { APP_GATEWAY_TYPE, APP_GATEWAY_WAF_POLICY_TYPE, fail, hasLog4ShellRule, findUnknown, isObject, pass, prop, resourceControl, snippet, unknown, type EvaluatedValue, type Rule } from './helpers';
import type { ResourceView } from './helpers';

/** The CRS rule that blocks JNDI lookups (Log4Shell, CVE-2021-44228), in group REQUEST-944-APPLICATION-ATTACK-JAVA. */
const RULE_ID = '944240';
const JAVA_GROUP = 'request-944-application-attack-java';

function text(v: EvaluatedValue | undefined): string | undefined {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

type Verdict = { ok: true; detail: string } | { ok: false; detail: string } | { unknown: string; at?: EvaluatedValue };

/** A WAF policy: a managed rule set with 944240, and no override that disables it (an override without state disables the rule). */
function judgePolicy(view: ResourceView): Verdict {
  const sets = view.getShallow('$.properties.managedRules.managedRuleSets');
  if (sets.state === 'unknown') return { unknown: `the managed rule sets are not known before deployment — ${sets.value.reason}` };
  if (sets.state !== 'value' || !Array.isArray(sets.value) || sets.value.length === 0) return { ok: false, detail: 'the policy has no managed rule set, so nothing blocks JNDI lookups' };
  const seen: string[] = [];
  for (const set of sets.value) {
    const u = findUnknown(set);
    if (!isObject(set)) continue;
    const type = text(prop(set, 'ruleSetType'));
    const version = text(prop(set, 'ruleSetVersion'));
    if (u && (type === undefined || version === undefined)) return { unknown: `a managed rule set is not known before deployment — ${u.reason}` };
    seen.push(`${type ?? 'OWASP'} ${version ?? '?'}`);
    if (!hasLog4ShellRule(type, version)) continue;
    const overrides = prop(set, 'ruleGroupOverrides');
    if (findUnknown(overrides ?? null)) return { unknown: `the rule group overrides of ${type ?? 'OWASP'} ${version} are not known before deployment — ${findUnknown(overrides ?? null)!.reason}` };
    for (const group of Array.isArray(overrides) ? overrides : []) {
      if (!isObject(group) || text(prop(group, 'ruleGroupName'))?.toLowerCase() !== JAVA_GROUP) continue;
      const rules = prop(group, 'rules');
      for (const r of Array.isArray(rules) ? rules : []) {
        if (!isObject(r) || text(prop(r, 'ruleId')) !== RULE_ID) continue;
        const state = text(prop(r, 'state'))?.toLowerCase();
        const action = text(prop(r, 'action'))?.toLowerCase();
        if (state !== 'enabled') return { ok: false, detail: `${type ?? 'OWASP'} ${version}: an override turns rule ${RULE_ID} off (state ${state ?? 'not set, which means Disabled'})` };
        if (action === 'log' || action === 'allow') return { ok: false, detail: `${type ?? 'OWASP'} ${version}: an override sets rule ${RULE_ID} to action ${action}, which lets the request through` };
      }
    }
    return { ok: true, detail: `${type ?? 'OWASP'} ${version} includes rule ${RULE_ID} and no override turns it off` };
  }
  return { ok: false, detail: `the managed rule sets (${seen.join(', ')}) do not include rule ${RULE_ID}: use OWASP 3.1 or later, or the Microsoft Default Rule Set` };
}

/** The inline WAF configuration of a v1/v2 gateway without a policy: ruleSetVersion and disabledRuleGroups. */
function judgeInline(view: ResourceView): Verdict | undefined {
  const cfg = view.getShallow('$.properties.webApplicationFirewallConfiguration');
  if (cfg.state === 'absent') return undefined;
  if (cfg.state === 'unknown') return { unknown: `the WAF configuration is not known before deployment — ${cfg.value.reason}` };
  if (!isObject(cfg.value)) return undefined;
  const u = findUnknown(cfg.value);
  const type = text(prop(cfg.value, 'ruleSetType'));
  const version = text(prop(cfg.value, 'ruleSetVersion'));
  if (u && (type === undefined || version === undefined)) return { unknown: `the WAF rule set is not known before deployment — ${u.reason}` };
  if (!hasLog4ShellRule(type, version)) return { ok: false, detail: `the WAF runs ${type ?? 'OWASP'} ${version ?? '(version not set)'}, which has no rule ${RULE_ID}: use OWASP 3.1 or later` };
  const disabled = prop(cfg.value, 'disabledRuleGroups');
  for (const group of Array.isArray(disabled) ? disabled : []) {
    if (!isObject(group) || text(prop(group, 'ruleGroupName'))?.toLowerCase() !== JAVA_GROUP) continue;
    const rules = prop(group, 'rules');
    if (!Array.isArray(rules) || rules.length === 0) return { ok: false, detail: 'disabledRuleGroups turns off the whole Java attack group, rule 944240 with it' };
    if (rules.some((r) => text(r) === RULE_ID)) return { ok: false, detail: `disabledRuleGroups turns off rule ${RULE_ID}` };
  }
  return { ok: true, detail: `${type ?? 'OWASP'} ${version} includes rule ${RULE_ID} and it is not disabled` };
}

const rule: Rule = (view) => {
  const isGateway = view.type.toLowerCase() === APP_GATEWAY_TYPE.toLowerCase();
  // A gateway with a policy is judged through the policy resource.
  if (isGateway && view.get('$.properties.firewallPolicy.id').state !== 'absent') return undefined;
  const v = isGateway ? judgeInline(view) : judgePolicy(view);
  if (!v) return undefined;
  const at = view.get(isGateway ? '$.properties.webApplicationFirewallConfiguration' : '$.properties.managedRules').location;
  if ('unknown' in v) return unknown(`Cannot decide whether the WAF blocks Log4Shell (rule ${RULE_ID}): ${v.unknown}.`, at);
  return v.ok ? pass(`The WAF blocks Log4Shell JNDI lookups: ${v.detail}.`, at) : fail(`The WAF does not block Log4Shell JNDI lookups (CVE-2021-44228): ${v.detail}.`, at);
};

export default resourceControl(
  {
    id: 'appgw-waf-log4j',
    title: 'Application Gateway WAF keeps the Log4Shell rule (944240) on',
    severity: 'high',
    featureSet: 'ApplicationGateway',
    resourceTypes: [APP_GATEWAY_TYPE, APP_GATEWAY_WAF_POLICY_TYPE],
    rationale:
      'Log4Shell (CVE-2021-44228) lets anyone who can get a jndi: lookup string into a logged header run code on a Java backend, and ' +
      'unpatched Log4j 2 copies are still found in vendored applications. CRS rule 944240 blocks the lookup; it exists in OWASP CRS 3.1 ' +
      'and later and in the Microsoft Default Rule Set, not in CRS 3.0 or 2.2.9. A ruleGroupOverrides entry for 944240 without ' +
      'state: Enabled turns it off (the state defaults to Disabled), as does action Log or Allow, or a disabledRuleGroups entry in ' +
      'the inline WAF configuration. Gateways that use a WAF policy are judged through the policy.',
    remediation: {
      text: 'Use the Microsoft Default Rule Set (or OWASP 3.2) and remove any override or disabled rule group that turns rule 944240 off.',
      snippet: snippet({
        type: 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
        properties: { policySettings: { state: 'Enabled', mode: 'Prevention' }, managedRules: { managedRuleSets: [{ ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' }] } },
      }),
    },
    references: { checkov: ['CKV_AZURE_135'], mcsb: ['NS-6'] },
    since: '2026-12-07',
  },
  rule,
);
