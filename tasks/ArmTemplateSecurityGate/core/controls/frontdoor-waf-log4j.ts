import { fail, findUnknown, isObject, pass, prop, resourceControl, snippet, unknown, type EvaluatedValue, type Rule } from './helpers';

/** The rule that blocks JNDI lookups (Log4Shell, CVE-2021-44228), in the JAVA group of the Front Door default rule sets. */
const RULE_ID = '944240';
/** Front Door rule sets that carry 944240: every DefaultRuleSet and Microsoft_DefaultRuleSet version (bot rule sets do not). */
const WITH_RULE = ['defaultruleset', 'microsoft_defaultruleset'];
/** Actions that let a matching request through. */
const PASS_THROUGH = ['log', 'allow'];

function text(v: EvaluatedValue | undefined): string | undefined {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

const rule: Rule = (view) => {
  const sets = view.getShallow('$.properties.managedRules.managedRuleSets');
  const at = view.get('$.properties.managedRules').location;
  if (sets.state === 'unknown') return unknown(`Cannot decide whether the WAF blocks Log4Shell (rule ${RULE_ID}): the managed rule sets are not known before deployment — ${sets.value.reason}.`, sets.location);
  if (sets.state !== 'value' || !Array.isArray(sets.value) || sets.value.length === 0) {
    return fail(`The WAF policy has no managed rule set, so nothing blocks Log4Shell JNDI lookups (CVE-2021-44228, rule ${RULE_ID}).`, at);
  }
  const seen: string[] = [];
  for (const set of sets.value) {
    if (!isObject(set)) continue;
    const type = text(prop(set, 'ruleSetType'));
    const version = text(prop(set, 'ruleSetVersion')) ?? '';
    const u = findUnknown(set);
    if (u && type === undefined) return unknown(`Cannot decide whether the WAF blocks Log4Shell: a managed rule set is not known before deployment — ${u.reason}.`, at);
    seen.push(`${type ?? '?'} ${version}`.trim());
    if (!type || !WITH_RULE.includes(type.toLowerCase())) continue;
    const overrides = prop(set, 'ruleGroupOverrides');
    const ou = findUnknown(overrides ?? null);
    if (ou) return unknown(`Cannot decide whether the WAF blocks Log4Shell: the rule group overrides of ${type} ${version} are not known before deployment — ${ou.reason}.`, at);
    for (const group of Array.isArray(overrides) ? overrides : []) {
      if (!isObject(group) || text(prop(group, 'ruleGroupName'))?.toLowerCase() !== 'java') continue;
      const rules = prop(group, 'rules');
      for (const r of Array.isArray(rules) ? rules : []) {
        if (!isObject(r) || text(prop(r, 'ruleId')) !== RULE_ID) continue;
        const state = text(prop(r, 'enabledState'));
        const action = text(prop(r, 'action'));
        if (state?.toLowerCase() !== 'enabled') {
          return fail(`The WAF does not block Log4Shell JNDI lookups (CVE-2021-44228): ${type} ${version} overrides rule ${RULE_ID} with enabledState ${state ?? 'not set, which means Disabled'}.`, at);
        }
        if (action && PASS_THROUGH.includes(action.toLowerCase())) {
          return fail(`The WAF does not block Log4Shell JNDI lookups (CVE-2021-44228): ${type} ${version} overrides rule ${RULE_ID} with action ${action}, which lets the request through.`, at);
        }
      }
    }
    return pass(`The WAF blocks Log4Shell JNDI lookups: ${type} ${version} includes rule ${RULE_ID} and no override turns it off.`, at);
  }
  return fail(`The WAF does not block Log4Shell JNDI lookups (CVE-2021-44228): the managed rule sets (${seen.join(', ')}) do not include rule ${RULE_ID}; add the Microsoft Default Rule Set.`, at);
};

export default resourceControl(
  {
    id: 'frontdoor-waf-log4j',
    title: 'Front Door WAF keeps the Log4Shell rule (944240) on',
    severity: 'high',
    featureSet: 'FrontDoor',
    resourceTypes: ['Microsoft.Network/FrontDoorWebApplicationFirewallPolicies'],
    rationale:
      'Log4Shell (CVE-2021-44228) lets anyone who can get a jndi: lookup string into a logged header run code on a Java backend. ' +
      'Rule 944240 of the Front Door default rule sets (DefaultRuleSet and Microsoft_DefaultRuleSet, every version) blocks the lookup at the ' +
      'edge. A policy without a default rule set fails, and so does one whose JAVA group override sets 944240 to a state other than ' +
      'Enabled (the state defaults to Disabled) or to action Log or Allow.',
    remediation: {
      text: 'Add the Microsoft_DefaultRuleSet managed rule set and remove any override that disables rule 944240 or sets it to Log or Allow.',
      snippet: snippet({
        type: 'Microsoft.Network/FrontDoorWebApplicationFirewallPolicies',
        properties: { policySettings: { enabledState: 'Enabled', mode: 'Prevention' }, managedRules: { managedRuleSets: [{ ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1', ruleSetAction: 'Block' }] } },
      }),
    },
    references: { checkov: ['CKV_AZURE_133'], mcsb: ['NS-6'] },
    since: '2026-12-07',
  },
  rule,
);
