import { fail, findSecrets, isObject, lastNameSegment, pass, prop, resourceControl, snippet, unknown, type Rule, type SecretFinding } from './helpers';
import { UnknownValue, type CheckContext, type EvaluatedValue } from '../model';

const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;
/** Credentials written into a connection string. */
const CREDENTIAL = /(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|sig)\s*=/i;

/** What in one setting (name → value) is a secret; undefined when nothing is. */
function judge(name: string, value: EvaluatedValue | undefined, ctx: CheckContext, connectionString: boolean): SecretFinding | UnknownValue | undefined {
  if (typeof value === 'string') {
    if (KEY_VAULT_REFERENCE.test(value)) return undefined;
    if (connectionString && CREDENTIAL.test(value)) return { path: name, why: 'the connection string holds a credential' };
  }
  const { secrets, unknowns } = findSecrets({ [name]: value ?? null }, ctx);
  if (secrets.length) return secrets[0];
  if (connectionString && value instanceof UnknownValue) return value;
  return unknowns[0]?.value;
}

function settingsOf(view: Parameters<Rule>[0]): Array<{ list: string; entries: Array<{ name: string; value: EvaluatedValue | undefined; cs: boolean }> } | UnknownValue> {
  if (/\/config$/i.test(view.type)) {
    const which = lastNameSegment(view.name).toLowerCase();
    if (which !== 'appsettings' && which !== 'connectionstrings') return [];
    const props = prop(view.resource.body, 'properties');
    if (props instanceof UnknownValue) return [props];
    if (!isObject(props)) return [];
    const cs = which === 'connectionstrings';
    return [{ list: which, entries: Object.keys(props).map((k) => ({ name: k, value: cs && isObject(props[k]) ? prop(props[k], 'value') : props[k], cs })) }];
  }
  const out: Array<{ list: string; entries: Array<{ name: string; value: EvaluatedValue | undefined; cs: boolean }> } | UnknownValue> = [];
  for (const [key, valueKey, cs] of [['appSettings', 'value', false], ['connectionStrings', 'connectionString', true]] as const) {
    const l = view.getShallow(`$.properties.siteConfig.${key}`);
    if (l.state === 'unknown') out.push(l.value);
    if (l.state !== 'value' || !Array.isArray(l.value)) continue;
    out.push({ list: `siteConfig.${key}`, entries: l.value.filter(isObject).map((e) => ({ name: String(prop(e, 'name') ?? '?'), value: prop(e, valueKey), cs })) });
  }
  return out;
}

const rule: Rule = (view, ctx) => {
  const lists = settingsOf(view);
  if (lists.length === 0) return undefined;
  const found: string[] = [];
  let undecided: UnknownValue | undefined;
  for (const l of lists) {
    if (l instanceof UnknownValue) {
      undecided ??= l;
      continue;
    }
    for (const e of l.entries) {
      const j = judge(e.name, e.value, ctx, e.cs);
      if (j instanceof UnknownValue) undecided ??= j;
      else if (j) found.push(`${l.list} '${e.name}' (${j.why})`);
    }
  }
  if (found.length) return fail(`Secrets stored as plain settings, readable by anyone who can list the app's configuration: ${found.join('; ')}.`, view.location);
  if (undecided) return unknown(`Cannot decide whether a setting holds a secret: ${undecided.reason}.`, undecided.location ?? view.location);
  return pass('No secret is stored as a plain app setting or connection string (Key Vault references pass).', view.location);
};

export default resourceControl(
  {
    id: 'app-service-secret-settings',
    title: 'App Service keeps secrets in Key Vault, not in app settings',
    severity: 'medium',
    featureSet: 'AppService',
    resourceTypes: ['Microsoft.Web/sites/config', 'Microsoft.Web/sites/slots/config', 'Microsoft.Web/sites', 'Microsoft.Web/sites/slots'],
    rationale:
      'App settings and connection strings are stored with the app and returned to anyone allowed to list its configuration (Website ' +
      'Contributor, deployment tooling, backups), and they never rotate. A Key Vault reference (@Microsoft.KeyVault(...)) keeps the secret ' +
      'in the vault, read with the app\'s managed identity. Secrets are: values from secure parameters, Key Vault parameter references or ' +
      'list*() (a storage key from listKeys()), literal values under secret-like names, and connection strings holding a password or key. ' +
      'The appsettings and connectionstrings config resources and siteConfig of sites and slots are read.',
    remediation: {
      text: 'Store the secret in Key Vault and set the setting to a Key Vault reference; give the app a managed identity with get access.',
      snippet: snippet({ type: 'Microsoft.Web/sites/config', name: "[concat(parameters('siteName'), '/appsettings')]", properties: { StorageConnection: "@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/storage-connection/)" } }),
    },
    references: { mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
