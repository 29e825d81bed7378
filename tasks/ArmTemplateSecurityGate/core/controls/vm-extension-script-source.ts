import { extensionsOf, fail, isObject, pass, prop, resourceControl, scriptSourceProblem, snippet, unknown, unknownResult, VM_EXTENSION_TYPE, VMSS_EXTENSION_TYPE, VMSS_TYPE, type Rule } from './helpers';
import { UnknownValue, type EvaluatedValue } from '../model';

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`;|)]+/gi;

/** Script locations an extension downloads: fileUris, DSC modules and configuration URLs, and URLs inside the command. */
function scriptUrls(props: { [key: string]: EvaluatedValue }): Array<{ where: string; value: EvaluatedValue }> {
  const out: Array<{ where: string; value: EvaluatedValue }> = [];
  for (const section of ['settings', 'protectedSettings']) {
    const s = prop(props, section);
    if (s instanceof UnknownValue) {
      // protectedSettings are often a secure object known only at deployment; only public settings are required.
      if (section === 'settings') out.push({ where: section, value: s });
      continue;
    }
    if (!isObject(s)) continue;
    const uris = prop(s, 'fileUris');
    if (Array.isArray(uris)) uris.forEach((u, i) => out.push({ where: `${section}.fileUris[${i}]`, value: u }));
    else if (uris !== undefined && uris !== null) out.push({ where: `${section}.fileUris`, value: uris });
    for (const key of ['modulesUrl', 'ModulesUrl']) {
      const m = prop(s, key);
      if (m !== undefined && m !== null) out.push({ where: `${section}.${key}`, value: m });
    }
    const config = prop(s, 'configuration');
    if (isObject(config) && prop(config, 'url') !== undefined) out.push({ where: `${section}.configuration.url`, value: prop(config, 'url')! });
    const command = prop(s, 'commandToExecute');
    if (typeof command === 'string') for (const url of command.match(URL_IN_TEXT) ?? []) out.push({ where: `${section}.commandToExecute`, value: url });
  }
  return out;
}

const rule: Rule = (view) => {
  const found = extensionsOf(view);
  if ('unknown' in found) return unknownResult(found.unknown, 'the extensions', view.resource);
  const extensions = found.list;
  if (extensions.length === 0) return undefined;
  const problems: string[] = [];
  const unknowns: string[] = [];
  let unknownAt = view.location;
  let sources = 0;
  for (const ext of extensions) {
    for (const { where, value } of scriptUrls(ext.props)) {
      if (value instanceof UnknownValue) {
        unknowns.push(`'${ext.name}' ${where} is not known before deployment — ${value.reason}`);
        unknownAt = value.location ?? unknownAt;
        continue;
      }
      if (typeof value !== 'string') continue;
      sources++;
      const p = scriptSourceProblem(value);
      if (p) problems.push(`'${ext.name}' ${where}: ${p}`);
    }
  }
  if (problems.length) return fail(`Scripts run as root/SYSTEM come from sources an attacker can change: ${problems.join('; ')}.`, view.resource.locate(extensions[0]!.path));
  if (unknowns.length) return unknown(`Cannot decide where the scripts come from: ${unknowns.join('; ')}.`, unknownAt);
  return pass(sources ? `All ${sources} script source(s) are HTTPS and not a movable branch of a public code host.` : 'The extension downloads no script.', view.location);
};

export default resourceControl(
  {
    id: 'vm-extension-script-source',
    title: 'VM extensions download scripts only over HTTPS from sources you control',
    severity: 'medium',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_EXTENSION_TYPE, VMSS_EXTENSION_TYPE, VMSS_TYPE],
    rationale:
      'Custom Script and DSC extensions run what they download as root or SYSTEM. A script fetched over plain HTTP can be replaced by ' +
      'anyone on the path; one fetched from a branch of a public repository (raw.githubusercontent.com/…/master/…) runs whatever is pushed ' +
      'there on the day of the next deployment or scale-out. Sources pinned to a commit (a 40-hex commit id in the URL) and storage you ' +
      'control (a blob with a SAS or a managed identity) pass. fileUris, DSC modulesUrl and configuration.url, and URLs inside ' +
      'commandToExecute are read.',
    remediation: {
      text: 'Stage scripts in a storage account you control and pass _artifactsLocation with a SAS token, or pin public URLs to a commit id.',
      snippet: snippet({
        settings: { fileUris: ["[uri(parameters('_artifactsLocation'), concat('scripts/install.sh', parameters('_artifactsLocationSasToken')))]"] },
        protectedSettings: { commandToExecute: 'sh install.sh' },
      }),
    },
    references: { mcsb: ['DP-3'] },
    since: '2026-12-07',
  },
  rule,
);
