import { asBool, fail, osFamily, pass, resourceControl, show, snippet, unknownResult, vmPath, VM_TYPE, VMSS_TYPE, type Rule } from './helpers';
import { UnknownValue } from '../model';

const windowsRule: Rule = (view) => {
  const auto = view.get(vmPath(view, 'osProfile.windowsConfiguration.enableAutomaticUpdates'));
  if (auto.state === 'unknown') return unknownResult(auto, 'automatic updates', view.resource);
  if (auto.state === 'value' && asBool(auto.value) === false) {
    return fail('windowsConfiguration.enableAutomaticUpdates is false: Windows Update never installs security fixes unless someone does it by hand.', auto.location);
  }
  const mode = view.get(vmPath(view, 'osProfile.windowsConfiguration.patchSettings.patchMode'));
  if (mode.state === 'unknown') return unknownResult(mode, 'the patch mode', view.resource);
  if (mode.state === 'value' && String(mode.value).toLowerCase() === 'manual') {
    return fail('windowsConfiguration.patchSettings.patchMode is Manual: no patch is installed unless someone does it by hand.', mode.location);
  }
  const how = mode.state === 'value' ? `patchMode ${show(mode.value)}` : 'patchMode not set (AutomaticByOS)';
  return pass(`Windows installs updates automatically (${how}).`, mode.state === 'value' ? mode.location : auto.location);
};

const rule: Rule = (view, ctx) => {
  const os = osFamily(view);
  // An OS known only at deployment matters only when the Windows settings would fail or are unknown themselves.
  if (os instanceof UnknownValue) {
    const r = windowsRule(view, ctx);
    return r && !Array.isArray(r) && r.outcome === 'pass' ? undefined : r;
  }
  // Linux images patch as the image is configured (ImageDefault) or by the platform; there is no switch that turns updates off.
  if (os !== 'windows') return undefined;
  return windowsRule(view, ctx);
};

export default resourceControl(
  {
    id: 'vm-windows-automatic-updates',
    title: 'Windows VMs and scale sets install updates automatically',
    severity: 'medium',
    featureSet: 'VirtualMachine',
    resourceTypes: [VM_TYPE, VMSS_TYPE],
    rationale:
      'Most compromises of servers use vulnerabilities for which a fix has been out for months. A Windows VM with ' +
      'enableAutomaticUpdates false or patchMode Manual installs nothing on its own, and fleets built that way are patched late or ' +
      'never. AutomaticByOS (the default) or AutomaticByPlatform (orchestrated, health-aware, Azure Update Manager) keep them current. ' +
      'Linux VMs have no switch that disables updates and are not judged; a VM patched by another tool (WSUS, Configuration Manager) ' +
      'can carry a justified suppression.',
    remediation: {
      text: 'Leave enableAutomaticUpdates at true and set patchSettings.patchMode to "AutomaticByPlatform" (or "AutomaticByOS").',
      snippet: snippet({ osProfile: { windowsConfiguration: { enableAutomaticUpdates: true, patchSettings: { patchMode: 'AutomaticByPlatform', assessmentMode: 'AutomaticByPlatform' } } } }),
    },
    references: { mcsb: ['PV-6'] },
    since: '2026-12-07',
  },
  rule,
);
