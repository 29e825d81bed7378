/** String functions (template-functions-string). */
import { EvaluatedValue, UnknownValue } from '../../model';
import { compositeFormat } from '../dotnet-format';
import { armGuid, uniqueString } from '../hash';
import { LimitError, budget } from '../limits';
import { siteError, unknownAt } from '../runtime';
import { findUnknown, fromPlain, toArmString } from '../values';
import { Registry, arr, checkText, int, str, stringOf, val } from './registry';

export function registerStrings(r: Registry): void {
  r.def('concat', 0, Infinity, (a, env, n) => {
    if (a.length > 0 && (Array.isArray(a[0]) || a[0] === null) && a.every((x) => Array.isArray(x) || x === null)) {
      let total = 0;
      for (const x of a) if (Array.isArray(x)) total += x.length;
      budget().produce(total);
      const out: EvaluatedValue[] = new Array(total);
      let k = 0;
      for (const x of a) if (Array.isArray(x)) for (const e of x) out[k++] = e;
      return out;
    }
    const parts: string[] = [];
    let length = 0;
    for (const x of a) {
      const part = stringOf(val(x, env, n));
      if (part instanceof UnknownValue) return part;
      length += part.length;
      checkText(length, `${n.display}()`);
      parts.push(part);
    }
    return parts.join('');
  }, {
    taint: (a, argTaint, out, taint) => {
      if (!Array.isArray(out)) return argTaint.includes(true);
      // An array concatenation keeps each element's own mark.
      let k = 0;
      for (const x of a) {
        if (!Array.isArray(x)) continue;
        for (let i = 0; i < x.length; i++, k++) if (taint.member(x, i, x[i])) taint.markMember(out, k);
      }
      return taint.holds(out);
    },
  });
  r.def('format', 1, Infinity, (a, env, n) => {
    const fmt = str(a[0], env, n, 0);
    const rest: EvaluatedValue[] = a.slice(1).map((x) => val(x, env, n));
    for (const x of rest) {
      const u = findUnknown(x);
      if (u) return u;
    }
    const left = budget().charsLeft();
    const res = compositeFormat(fmt, rest, left);
    if ('ok' in res) return res.ok;
    if ('unknown' in res) return unknownAt(env, res.unknown);
    if ('tooLong' in res) throw new LimitError(`${n.display}() would build a string of more than ${left} characters, beyond the gate's budget per template`);
    throw siteError(env, `${n.display}(): ${res.error}`);
  });
  r.def('string', 1, 1, (a, env, n) => stringOf(val(a[0], env, n)));
  r.def('toLower', 1, 1, (a, env, n) => str(a[0], env, n, 0).toLowerCase());
  r.def('toUpper', 1, 1, (a, env, n) => str(a[0], env, n, 0).toUpperCase());
  r.def('trim', 1, 1, (a, env, n) => str(a[0], env, n, 0).trim());
  r.def('split', 2, 2, (a, env, n) => {
    const s = str(a[0], env, n, 0);
    const d = a[1];
    const delims = Array.isArray(d) ? d.map((x, i) => str(x, env, n, i)) : [str(d, env, n, 1)];
    let parts = [s];
    for (const del of delims) {
      const next: string[] = [];
      for (const p of parts) for (const q of p.split(del)) next.push(q);
      budget().produce(next.length);
      parts = next;
    }
    return parts;
  });
  r.def('join', 2, 2, (a, env, n) => {
    const items = arr(a[0], env, n, 0);
    const sep = str(a[1], env, n, 1);
    const u = findUnknown(items);
    if (u) return u;
    const parts: string[] = new Array(items.length);
    let length = sep.length * Math.max(items.length - 1, 0);
    checkText(length, `${n.display}()`);
    for (let i = 0; i < items.length; i++) {
      parts[i] = toArmString(items[i], budget().charsLeft() - length);
      length += parts[i].length;
      checkText(length, `${n.display}()`);
    }
    return parts.join(sep);
  });
  r.def('replace', 3, 3, (a, env, n) => {
    const s = str(a[0], env, n, 0);
    const from = str(a[1], env, n, 1);
    const to = str(a[2], env, n, 2);
    // .NET String.Replace refuses an empty oldValue.
    if (from === '') throw siteError(env, `${n.display}(): the string to replace must not be empty`);
    const pieces = s.split(from);
    checkText(s.length + (pieces.length - 1) * (to.length - from.length), `${n.display}()`);
    return pieces.join(to);
  });
  r.def('substring', 2, 3, (a, env, n) => {
    const s = str(a[0], env, n, 0);
    const start = int(a[1], env, n, 1);
    const len = a.length > 2 ? int(a[2], env, n, 2) : s.length - start;
    if (start < 0 || start > s.length) throw siteError(env, `${n.display}(): start index ${start} is out of range for a string of length ${s.length}`);
    if (len < 0 || start + len > s.length) throw siteError(env, `${n.display}(): length ${len} from index ${start} is out of range for a string of length ${s.length}`);
    return s.slice(start, start + len);
  });
  r.def('startsWith', 2, 2, (a, env, n) => str(a[0], env, n, 0).toLowerCase().startsWith(str(a[1], env, n, 1).toLowerCase()));
  r.def('endsWith', 2, 2, (a, env, n) => str(a[0], env, n, 0).toLowerCase().endsWith(str(a[1], env, n, 1).toLowerCase()));
  r.def('padLeft', 2, 3, (a, env, n) => {
    const v = a[0];
    const s = typeof v === 'number' ? String(v) : str(v, env, n, 0);
    const total = int(a[1], env, n, 1);
    const ch = a.length > 2 ? str(a[2], env, n, 2) : ' ';
    if (ch.length !== 1) throw siteError(env, `${n.display}(): the padding character must be a single character`);
    checkText(total, `${n.display}()`);
    return s.padStart(total, ch);
  });
  r.def('uri', 2, 2, (a, env, n) => {
    const base = str(a[0], env, n, 0);
    const rel = str(a[1], env, n, 1);
    try {
      return new URL(rel, base).href;
    } catch {
      throw siteError(env, `${n.display}(): '${base.slice(0, 200)}' is not an absolute URI`);
    }
  });
  r.def('uriComponent', 1, 1, (a, env, n) => {
    const s = str(a[0], env, n, 0);
    try {
      return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    } catch {
      // encodeURIComponent refuses lone surrogates, which UTF-8 cannot encode.
      throw siteError(env, `${n.display}(): the string is not valid Unicode text`);
    }
  });
  r.def('uriComponentToString', 1, 1, (a, env, n) => {
    try {
      return decodeURIComponent(str(a[0], env, n, 0));
    } catch {
      throw siteError(env, `${n.display}(): invalid percent-encoding`);
    }
  });
  r.def('base64', 1, 1, (a, env, n) => Buffer.from(str(a[0], env, n, 0), 'utf8').toString('base64'));
  r.def('base64ToString', 1, 1, (a, env, n) => Buffer.from(str(a[0], env, n, 0), 'base64').toString('utf8'));
  r.def('base64ToJson', 1, 1, (a, env, n) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(str(a[0], env, n, 0), 'base64').toString('utf8'));
    } catch {
      throw siteError(env, `${n.display}(): the decoded value is not valid JSON`);
    }
    return jsonValue(parsed, env, `${n.display}()`);
  });
  r.def('json', 1, 1, (a, env, n) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(str(a[0], env, n, 0));
    } catch {
      throw siteError(env, `${n.display}(): the argument is not valid JSON`);
    }
    return jsonValue(parsed, env, `${n.display}()`);
  });
  r.def('dataUri', 1, 1, (a, env, n) => `data:text/plain;charset=utf8;base64,${Buffer.from(str(a[0], env, n, 0), 'utf8').toString('base64')}`);
  r.def('dataUriToString', 1, 1, (a, env, n) => {
    const s = str(a[0], env, n, 0);
    const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(s);
    if (!m) throw siteError(env, `${n.display}(): not a data URI`);
    if (m[2]) return Buffer.from(m[3], 'base64').toString('utf8');
    try {
      return decodeURIComponent(m[3]);
    } catch {
      throw siteError(env, `${n.display}(): invalid percent-encoding`);
    }
  });
  r.def('guid', 1, Infinity, (a, env, n) => armGuid(a.map((x, i) => str(x, env, n, i))));
  r.def('uniqueString', 1, Infinity, (a, env, n) => uniqueString(a.map((x, i) => str(x, env, n, i))));
  r.def('newGuid', 0, 0, (_a, env) => unknownAt(env, 'newGuid() is a new value at every deployment'));
  r.def('utcNow', 0, 1, (_a, env) => unknownAt(env, 'utcNow() is the time of the deployment'));
}

/** Parsed JSON as engine values: objects that inherit nothing, nesting bounded. */
function jsonValue(parsed: unknown, env: Parameters<typeof siteError>[0], what: string): EvaluatedValue {
  try {
    return fromPlain(parsed, `the JSON given to ${what}`);
  } catch (e) {
    if (e instanceof LimitError) throw siteError(env, e.message);
    throw e;
  }
}
