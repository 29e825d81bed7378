import { childViews, fail, parentInTemplate, pass, resourceControl, ResourceView, show, snippet, unknownResult, type CheckContext, type CheckResult, type Rule } from './helpers';

const POLICY_TYPES = ['auditingSettings', 'extendedAuditingSettings'];

/** First enabled policy among `owner`'s audit children; otherwise the first deciding non-pass. */
function audited(owner: ResourceView, ctx: CheckContext, self: ResourceView): { on: boolean; result?: CheckResult } {
  let first: CheckResult | undefined;
  for (const p of POLICY_TYPES.flatMap((t) => childViews(owner, ctx, `${owner.type}/${t}`))) {
    const s = p.get('$.properties.state');
    if (s.state === 'unknown') {
      first ??= unknownResult(s, 'the auditing state', self.resource);
      continue;
    }
    if (s.state === 'value' && typeof s.value === 'string' && s.value.toLowerCase() === 'enabled') return { on: true, result: pass(`${p.type.split('/').pop()} '${p.name}' enables auditing.`, s.location) };
    first ??= fail(`${p.type.split('/').pop()} '${p.name}' has state ${s.state === 'value' ? show(s.value) : 'not set'}: auditing is off.`, s.location);
  }
  return { on: false, result: first };
}

const rule: Rule = (view, ctx) => {
  const own = audited(view, ctx, view);
  if (own.on) return own.result;
  const workspace = parentInTemplate(view, ctx, 'Microsoft.Synapse/workspaces');
  const ws = workspace ? audited(workspace, ctx, view) : { on: false };
  if (ws.on) return pass(`SQL pool '${view.name}' is audited by its workspace: ${ws.result!.message}`, ws.result!.location);
  return own.result ?? ws.result ?? fail(`Neither SQL pool '${view.name}' nor its workspace declares auditingSettings with state Enabled: auditing is off by default.`, view.location);
};

export default resourceControl(
  {
    id: 'synapse-sql-pool-auditing',
    title: 'Synapse dedicated SQL pool is audited',
    severity: 'medium',
    featureSet: 'Synapse',
    resourceTypes: ['Microsoft.Synapse/workspaces/sqlPools'],
    rationale:
      'Without auditing, queries, logins and permission changes on a dedicated SQL pool leave no trail. Auditing is off until ' +
      'an auditingSettings (or extendedAuditingSettings) child of the pool, or of its workspace (which covers every pool), ' +
      'says state Enabled.',
    remediation: {
      text: 'Add a workspace (or pool) extendedAuditingSettings child "default" with state Enabled and a destination.',
      snippet: snippet({
        type: 'Microsoft.Synapse/workspaces/extendedAuditingSettings',
        name: "[concat(parameters('workspaceName'), '/default')]",
        properties: { state: 'Enabled', isAzureMonitorTargetEnabled: true },
      }),
    },
    references: { checkov: ['CKV2_AZURE_54'], mcsb: ['LT-3'] },
    since: '2026-12-07',
  },
  rule,
);
