/** Virtual machine scale sets: network interface configurations. */

import { type EvaluatedValue, UnknownValue } from '../../model';
import { isObject, prop, type Lookup, type ResourceView } from './lookup';

export interface NicConfig {
  name: string;
  index: number;
  value: { [key: string]: EvaluatedValue };
}

/** networkProfile.networkInterfaceConfigurations of a scale set, or an UnknownValue if the list is not known. */
export function scaleSetNics(view: ResourceView): Lookup {
  return view.getShallow('$.properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations');
}

/** Names of IP configurations of a NIC configuration that request a public IP per instance. */
export function publicIpConfigs(nic: { [key: string]: EvaluatedValue }): { names: string[]; unknown?: UnknownValue } {
  const props = prop(nic, 'properties');
  const ipConfigs = isObject(props) ? prop(props, 'ipConfigurations') : undefined;
  if (ipConfigs instanceof UnknownValue) return { names: [], unknown: ipConfigs };
  if (!Array.isArray(ipConfigs)) return { names: [] };
  const names: string[] = [];
  for (const ip of ipConfigs) {
    if (ip instanceof UnknownValue) return { names, unknown: ip };
    if (!isObject(ip)) continue;
    const ipProps = prop(ip, 'properties');
    if (ipProps instanceof UnknownValue) return { names, unknown: ipProps };
    const pub = isObject(ipProps) ? prop(ipProps, 'publicIPAddressConfiguration') : undefined;
    if (pub instanceof UnknownValue) return { names, unknown: pub };
    if (pub !== undefined && pub !== null) {
      const n = prop(ip, 'name');
      names.push(typeof n === 'string' ? n : '(unnamed)');
    }
  }
  return { names };
}
