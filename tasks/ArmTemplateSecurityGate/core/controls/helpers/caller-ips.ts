/** Caller IP lists (Logic Apps accessControl). */

import { expectEvery } from './expectations';
import { isUniversal, parseIpRange } from './ip-ranges';
import { isObject, prop } from './lookup';
import type { Rule } from './results';

/**
 * Judges an allowedCallerIpAddresses list ([{ addressRange }]): it must exist, be non-empty, and no entry may
 * cover the whole IPv4 space.
 */
export function expectRestrictedCallers(path: string, what: string): Rule {
  return expectEvery(
    path,
    (entry, i) => {
      const text = isObject(entry) ? prop(entry, 'addressRange') : entry;
      if (typeof text !== 'string') return { ok: false, detail: `[${i}] has no addressRange` };
      const r = parseIpRange(text);
      if (!r) return { ok: true };
      return { ok: !isUniversal(r), detail: `[${i}] "${text}" allows every IPv${r.family} address` };
    },
    { ifAbsent: 'fail', ifEmpty: 'pass', absentReason: 'callers from any IP address are accepted', what },
  );
}
