/** Virtual machines and scale sets: the VM model, the operating system, extensions and where their scripts come from. */

import { UnknownValue, type EvaluatedValue } from '../../model';
import { isObject, prop, type Lookup, type ResourceView } from './lookup';

export const VM_TYPE = 'Microsoft.Compute/virtualMachines';
export const VMSS_TYPE = 'Microsoft.Compute/virtualMachineScaleSets';
export const VM_EXTENSION_TYPE = 'Microsoft.Compute/virtualMachines/extensions';
export const VMSS_EXTENSION_TYPE = 'Microsoft.Compute/virtualMachineScaleSets/extensions';

const VMSS_LOWER = VMSS_TYPE.toLowerCase();
const VM_MODEL = '$.properties';
const VMSS_MODEL = '$.properties.virtualMachineProfile';

function isScaleSet(view: ResourceView): boolean {
  const t = view.type;
  return t.length === VMSS_LOWER.length && t.toLowerCase() === VMSS_LOWER;
}

/** Where the VM model is: `properties` of a VM, `properties.virtualMachineProfile` of a scale set. */
export function vmModel(view: ResourceView): string {
  return isScaleSet(view) ? VMSS_MODEL : VM_MODEL;
}

const VM_PATHS = new Map<string, readonly [string, string]>();

/**
 * `rest` inside the VM model (see vmModel), as the same string on every call: a path text built per
 * call is a new string to hash and look up, and lookups of VM settings ran on every VM for every control.
 */
export function vmPath(view: ResourceView, rest: string): string {
  let both = VM_PATHS.get(rest);
  if (both === undefined) {
    both = [`${VM_MODEL}.${rest}`, `${VMSS_MODEL}.${rest}`];
    VM_PATHS.set(rest, both);
  }
  return both[isScaleSet(view) ? 1 : 0];
}

/** One thing (a rule over model paths) made for each VM model once, picked per resource. */
export function perVmModel<T>(make: (model: string) => T): (view: ResourceView) => T {
  const vm = make(VM_MODEL);
  const vmss = make(VMSS_MODEL);
  return (view) => (isScaleSet(view) ? vmss : vm);
}

export type OsFamily = 'linux' | 'windows';

/** Image publishers whose images are Windows (SQL Server images are Windows unless the offer names a Linux). */
const WINDOWS_PUBLISHERS = /^(microsoftwindowsserver|microsoftwindowsdesktop|microsoftvisualstudio|microsoftdynamicsax|microsoftsharepoint|microsoftbiztalkserver|microsoftwindowsserverhpcpack|microsoftazuresiterecovery)$/i;
const LINUX_OFFER = /(ubuntu|rhel|redhat|sles|suse|debian|centos|oracle-linux|almalinux|rocky|linux|flatcar|mariner)/i;
const LINUX_PUBLISHERS = /^(canonical|redhat|openlogic|suse|debian|credativ|oracle|kinvolk|almalinux|erockyenterprisesoftwarefoundationinc1653071250513|microsoftcblmariner)$/i;

function text(v: EvaluatedValue | undefined): string | UnknownValue | undefined {
  return v instanceof UnknownValue || typeof v === 'string' ? v : undefined;
}

/**
 * The operating system of a VM or scale set as the template states it: its linuxConfiguration or
 * windowsConfiguration, its OS disk's osType, or its marketplace image. Undefined when the template does
 * not say (a custom image, an attached disk); an UnknownValue when the deciding value is known only at
 * deployment.
 */
export function osFamily(view: ResourceView): OsFamily | UnknownValue | undefined {
  const os = view.getShallow(vmPath(view, 'osProfile'));
  if (os.state === 'value' && isObject(os.value)) {
    const linux = prop(os.value, 'linuxConfiguration');
    if (isObject(linux)) return 'linux';
    const windows = prop(os.value, 'windowsConfiguration');
    if (isObject(windows)) return 'windows';
  }
  const osType = view.get(vmPath(view, 'storageProfile.osDisk.osType'));
  if (osType.state === 'value' && typeof osType.value === 'string') return /^windows$/i.test(osType.value) ? 'windows' : /^linux$/i.test(osType.value) ? 'linux' : undefined;
  const image = view.getShallow(vmPath(view, 'storageProfile.imageReference'));
  if (image.state === 'unknown') return image.value;
  if (image.state !== 'value' || !isObject(image.value)) return undefined;
  const publisher = text(prop(image.value, 'publisher'));
  const offer = text(prop(image.value, 'offer'));
  if (publisher instanceof UnknownValue) return publisher;
  if (typeof publisher !== 'string') return undefined;
  if (/^microsoftsqlserver$/i.test(publisher)) {
    if (offer instanceof UnknownValue) return offer;
    return typeof offer === 'string' && LINUX_OFFER.test(offer) ? 'linux' : 'windows';
  }
  if (WINDOWS_PUBLISHERS.test(publisher) || /windows/i.test(publisher)) return 'windows';
  if (LINUX_PUBLISHERS.test(publisher)) return 'linux';
  if (typeof offer === 'string') return LINUX_OFFER.test(offer) ? 'linux' : /windows/i.test(offer) ? 'windows' : undefined;
  return offer instanceof UnknownValue ? offer : undefined;
}

/** One VM extension: a Microsoft.Compute/.../extensions resource, or an entry of a scale set's extensionProfile. */
export interface Extension {
  name: string;
  /** Path of the extension's properties in the resource body. */
  path: Array<string | number>;
  props: { [key: string]: EvaluatedValue };
}

/** The extensions a resource declares, or the lookup that is unknown when the list is not known before deployment. */
export function extensionsOf(view: ResourceView): { list: Extension[] } | { unknown: Lookup & { state: 'unknown' } } {
  if (isScaleSet(view)) {
    const list = view.getShallow('$.properties.virtualMachineProfile.extensionProfile.extensions');
    if (list.state === 'unknown') return { unknown: list };
    if (list.state !== 'value' || !Array.isArray(list.value)) return { list: [] };
    return { list: list.value.flatMap((e, i): Extension[] => {
      if (!isObject(e)) return [];
      const props = prop(e, 'properties');
      const name = prop(e, 'name');
      return isObject(props) ? [{ name: typeof name === 'string' ? name : `[${i}]`, path: [...list.path, i, 'properties'], props }] : [];
    }) };
  }
  const props = view.getShallow('$.properties');
  if (props.state === 'unknown') return { unknown: props };
  if (props.state !== 'value' || !isObject(props.value)) return { list: [] };
  return { list: [{ name: view.name, path: props.path, props: props.value }] };
}

/** Hosts that serve files from a repository branch anyone with push rights (or a takeover) can change. */
const CODE_HOSTS = /^(raw\.githubusercontent\.com|github\.com|gist\.github\.com|gist\.githubusercontent\.com|gitlab\.com|bitbucket\.org|pastebin\.com|raw\.githack\.com|cdn\.jsdelivr\.net)$/i;
const COMMIT = /\/[0-9a-f]{40}(\/|$)/i;

/**
 * What is wrong with downloading a script from `url`, if anything: plain HTTP (anyone on the path can
 * change it), or a public code host without a commit pin (whoever controls the branch controls the VM).
 */
export function scriptSourceProblem(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#:]+)/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'http') return `'${url}' is downloaded over plain HTTP`;
  if (scheme === 'https' && CODE_HOSTS.test(m[2]!) && !COMMIT.test(url)) {
    return `'${url}' is fetched from a branch of a public code host, not pinned to a commit`;
  }
  return undefined;
}
