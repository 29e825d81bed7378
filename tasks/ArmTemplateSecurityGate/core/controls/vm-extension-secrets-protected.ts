import { extensionsOf, fail, findSecrets, pass, prop, resourceControl, snippet, unknown, unknownResult, VM_EXTENSION_TYPE, VMSS_EXTENSION_TYPE, VMSS_TYPE, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view, ctx) => {
  const found = extensionsOf(view);
  if ('unknown' in found) return unknownResult(found.unknown, 'the extensions', view.resource);
  const extensions = found.list;
  if (extensions.length === 0) return undefined;
  const failures: string[] = [];
  const unknowns: string[] = [];
  let failAt = view.location;
  let unknownAt = view.location;
  for (const ext of extensions) {
    const settings = prop(ext.props, 'settings');
    if (settings instanceof UnknownValue) {
      unknowns.push(`the settings of '${ext.name}' are not known before deployment — ${settings.reason}`);
      unknownAt = settings.location ?? view.resource.locate(ext.path);
      continue;
    }
    const { secrets, unknowns: maybe } = findSecrets(settings, ctx, 'settings');
    if (secrets.length) {
      if (!failures.length) failAt = view.resource.locate([...ext.path, 'settings']);
      failures.push(`'${ext.name}': ${secrets.map((s) => `${s.path} (${s.why})`).join(', ')}`);
    }
    for (const m of maybe) {
      unknowns.push(`'${ext.name}' ${m.path} is not known before deployment — ${m.value.reason}`);
      unknownAt = m.value.location ?? unknownAt;
    }
  }
  if (failures.length) return fail(`Secrets in public extension settings, readable by anyone who can read the VM: ${failures.join('; ')}.`, failAt);
  if (unknowns.length) return unknown(`Cannot decide whether extension settings hold secrets: ${unknowns.join('; ')}.`, unknownAt);
  return pass('No secret found in the public settings of the extension(s); secrets belong in protectedSettings.', view.location);
};

export default resourceControl(
  {
    id: 'vm-extension-secrets-protected',
    title: 'VM extensions keep secrets in protectedSettings',
    severity: 'high',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_EXTENSION_TYPE, VMSS_EXTENSION_TYPE, VMSS_TYPE],
    rationale:
      'An extension\'s settings are stored in plain text in the VM model: anyone with read access to the VM (Reader role) sees them, ' +
      'and the guest agent logs them. protectedSettings are encrypted to the VM and never returned. A value counts as a secret when its ' +
      'name is secret-like (password, key, token, connection string, SAS…) or when it comes from a secure parameter, a Key Vault ' +
      'reference or a list*() call — also inside commandToExecute. A command built from a secure parameter that has a literal value in ' +
      'the parameter file is not recognised (the engine\'s secure-value marks do not reach controls).',
    remediation: {
      text: 'Move commandToExecute, storage keys, passwords and tokens from settings to protectedSettings.',
      snippet: snippet({
        type: 'Microsoft.Compute/virtualMachines/extensions',
        properties: {
          publisher: 'Microsoft.Azure.Extensions',
          type: 'CustomScript',
          typeHandlerVersion: '2.1',
          settings: { fileUris: ["[uri(parameters('_artifactsLocation'), concat('install.sh', parameters('_artifactsLocationSasToken')))]"] },
          protectedSettings: { commandToExecute: "[concat('sh install.sh ', parameters('adminPassword'))]" },
        },
      }),
    },
    references: { psrule: ['Azure.VM.ScriptExtensions', 'Azure.VMSS.ScriptExtensions'], mcsb: ['IM-8'] },
    since: '2026-12-07',
  },
  rule,
);
