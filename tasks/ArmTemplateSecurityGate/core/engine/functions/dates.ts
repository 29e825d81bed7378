/** Date functions (template-functions-date). ARM's dates are .NET DateTime values: years 1 to 9999. */
import { siteError, Env } from '../runtime';
import { CallNode, Registry, int, str } from './registry';

const MIN_TIME = Date.parse('0001-01-01T00:00:00Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

export function registerDates(r: Registry): void {
  r.def('dateTimeAdd', 2, 3, (a, env, n) => {
    const base = str(a[0], env, n, 0);
    const dur = str(a[1], env, n, 1);
    const d = parseDate(base, env, n);
    const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(dur);
    if (!m || dur === 'P' || dur.endsWith('T')) throw siteError(env, `${n.display}(): '${dur.slice(0, 100)}' is not an ISO 8601 duration`);
    const sign = m[1] ? -1 : 1;
    const v = (i: number): number => Number(m[i] ?? 0) * sign;
    d.setUTCFullYear(d.getUTCFullYear() + v(2), d.getUTCMonth() + v(3), d.getUTCDate() + v(4) * 7 + v(5));
    d.setTime(d.getTime() + ((v(6) * 60 + v(7)) * 60 + v(8)) * 1000);
    return format(d.getTime(), env, n);
  });
  r.def('dateTimeToEpoch', 1, 1, (a, env, n) => Math.floor(parseDate(str(a[0], env, n, 0), env, n).getTime() / 1000));
  r.def('dateTimeFromEpoch', 1, 1, (a, env, n) => format(int(a[0], env, n, 0) * 1000, env, n));
}

function parseDate(text: string, env: Env, n: CallNode): Date {
  const d = new Date(text);
  const t = d.getTime();
  if (Number.isNaN(t) || t < MIN_TIME || t > MAX_TIME) throw siteError(env, `${n.display}(): '${text.slice(0, 100)}' is not a date-time`);
  return d;
}

function format(ms: number, env: Env, n: CallNode): string {
  if (!Number.isFinite(ms) || ms < MIN_TIME || ms > MAX_TIME) throw siteError(env, `${n.display}(): the result is outside the dates ARM represents (years 1 to 9999)`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
