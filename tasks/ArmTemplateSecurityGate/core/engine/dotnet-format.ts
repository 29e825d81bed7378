/**
 * ARM's format(): .NET composite formatting (String.Format) with the invariant culture.
 *
 * Followed:
 * - learn.microsoft.com/dotnet/standard/base-types/composite-formatting ({index[,alignment][:format]},
 *   '{{' and '}}' escapes, FormatException for anything else);
 * - learn.microsoft.com/dotnet/standard/base-types/standard-numeric-format-strings and
 *   custom-numeric-format-strings, with the InvariantInfo values of NumberFormatInfo (group size 3,
 *   ',' and '.', CurrencySymbol '¤', CurrencyNegativePattern 0 "($n)", PercentPositivePattern 0
 *   "n %", PercentNegativePattern 0 "-n %");
 * - dotnet/runtime Number.Formatting.cs (NumberToString / NumberToStringFormat / RoundNumber) for
 *   the details the docs leave implicit (rounding half away from zero on the decimal digits,
 *   section selection, where group separators and the sign go).
 *
 * ARM integers are Int64: they are formatted exactly (X prints the 64-bit two's complement).
 * Formatting of fractional numbers (Double) differs between .NET Framework and .NET Core and is
 * not reproduced: such a value with a format string is unknown, as are the 'B' specifier (.NET 8+
 * only), precisions above 99 (read differently by .NET Framework) and scientific custom formats.
 * Strings, booleans and null ignore the format string, as .NET does for types that are not
 * IFormattable.
 */
import { EvaluatedValue } from '../model';
import { budget } from './limits';
import { toArmString } from './values';

function maxText(): number {
  return budget().charsLeft();
}

export type FormatOutcome = { ok: string } | { error: string } | { unknown: string } | { tooLong: number };

/** `maxLength`: the result is abandoned ({ tooLong }) as soon as it would be longer (alignments pad up to 999,999 each). */
export function compositeFormat(fmt: string, args: EvaluatedValue[], maxLength = Infinity): FormatOutcome {
  let out = '';
  let i = 0;
  const bad = (why: string): FormatOutcome => ({ error: `the format string '${fmt}' is invalid: ${why}` });
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === '}') {
      if (fmt[i + 1] !== '}') return bad(`'}' at position ${i + 1} must be doubled ('}}') or close a format item`);
      out += '}';
      i += 2;
      continue;
    }
    if (c !== '{') { out += c; i++; continue; }
    if (fmt[i + 1] === '{') { out += '{'; i += 2; continue; }
    // {index[,alignment][:formatString]}
    let p = i + 1;
    const startIdx = p;
    while (p < fmt.length && fmt[p] >= '0' && fmt[p] <= '9') p++;
    if (p === startIdx) return bad(`a format item at position ${i + 1} must start with an argument index`);
    const index = Number(fmt.slice(startIdx, p));
    while (fmt[p] === ' ') p++;
    let width = 0;
    if (fmt[p] === ',') {
      p++;
      while (fmt[p] === ' ') p++;
      const neg = fmt[p] === '-';
      if (neg) p++;
      const ws = p;
      while (p < fmt.length && fmt[p] >= '0' && fmt[p] <= '9') p++;
      if (p === ws) return bad(`the alignment of the format item at position ${i + 1} is not a number`);
      width = Number(fmt.slice(ws, p)) * (neg ? -1 : 1);
      if (Math.abs(width) >= 1_000_000) return bad('an alignment must be below 1000000');
      while (fmt[p] === ' ') p++;
    }
    let spec: string | undefined;
    if (fmt[p] === ':') {
      const fs = p + 1;
      while (p < fmt.length && fmt[p] !== '}' && fmt[p] !== '{') p++;
      if (fmt[p] === '{') return bad(`'{' inside the format item at position ${i + 1}`);
      spec = fmt.slice(fs, p);
      // '}}' right after a format string was an escaped '}' inside it in .NET Framework, not in .NET Core.
      if (fmt[p + 1] === '}') return { unknown: `format(): '}}' right after the format string of the item at position ${i + 1} is read differently by .NET versions` };
    }
    if (fmt[p] !== '}') return bad(`the format item at position ${i + 1} is not closed by '}'`);
    if (index >= args.length) return { error: `the format item {${index}} has no argument (${args.length} given after the format string)` };
    const one = formatValue(args[index], spec);
    if (typeof one !== 'string') return one;
    const pad = Math.abs(width) - one.length;
    if (out.length + Math.max(pad, 0) + one.length > maxLength) return { tooLong: out.length + Math.max(pad, 0) + one.length };
    out += pad <= 0 ? one : width < 0 ? one + ' '.repeat(pad) : ' '.repeat(pad) + one;
    i = p + 1;
  }
  return { ok: out };
}

function formatValue(v: EvaluatedValue, spec: string | undefined): string | FormatOutcome {
  if (typeof v !== 'number' || spec === undefined || spec === '') return toArmString(v, maxText());
  if (!Number.isInteger(v)) return { unknown: `format(): the fractional number ${v} with the format '${spec}' is formatted differently by .NET versions; the gate does not reproduce it` };
  if (!Number.isSafeInteger(v)) return { unknown: `format(): ${v} is beyond the integers the gate represents exactly` };
  const std = /^([A-Za-z])(\d*)$/.exec(spec);
  if (std) return standard(v, std[1], std[2], spec);
  return custom(v, spec);
}

// ---- number buffer (digits without sign, decimal point after `scale` digits) -------------

interface Num { d: string; scale: number; neg: boolean }

function toNum(v: number): Num {
  const d = v === 0 ? '' : String(Math.abs(v));
  return { d, scale: d.length, neg: v < 0 };
}

/** Number.RoundNumber: keep `pos` digits, rounding half up on the digit string; trims trailing zeros. */
function round(n: Num, pos: number): void {
  let i = 0;
  while (i < pos && i < n.d.length) i++;
  let d = n.d;
  if (i === pos && i < d.length && d[i] >= '5') {
    while (i > 0 && d[i - 1] === '9') i--;
    if (i > 0) d = d.slice(0, i - 1) + String.fromCharCode(d.charCodeAt(i - 1) + 1);
    else { n.scale++; d = '1'; i = 1; }
  } else {
    while (i > 0 && d[i - 1] === '0') i--;
  }
  n.d = d.slice(0, i);
  if (i === 0) { n.neg = false; n.scale = 0; }
}

const digitAt = (n: Num, i: number): string => (i < n.d.length ? n.d[i] : '0');

/** Number.FormatFixed with the invariant group size 3 when grouping. */
function fixed(n: Num, decimals: number, group: boolean): string {
  let s = '';
  let cur = 0;
  if (n.scale > 0) {
    for (let i = 0; i < n.scale; i++) {
      s += digitAt(n, i);
      const left = n.scale - 1 - i;
      if (group && left > 0 && left % 3 === 0) s += ',';
    }
    cur = Math.min(n.scale, n.d.length);
  } else {
    s = '0';
  }
  if (decimals > 0) {
    s += '.';
    let left = decimals;
    if (n.scale < 0) {
      const z = Math.min(-n.scale, left);
      s += '0'.repeat(z);
      left -= z;
    }
    for (; left > 0; left--) s += cur < n.d.length ? n.d[cur++] : '0';
  }
  return s;
}

function exponent(e: number, ch: string, minDigits: number, plus: boolean): string {
  return ch + (e < 0 ? '-' : plus ? '+' : '') + String(Math.abs(e)).padStart(minDigits, '0');
}

function standard(v: number, letter: string, digits: string, spec: string): string | FormatOutcome {
  if (digits.length > 2) return { unknown: `format(): the precision in '${spec}' is above 99 or has leading zeros, which .NET versions read differently` };
  const prec = digits === '' ? -1 : Number(digits);
  const n = toNum(v);
  switch (letter) {
    case 'D': case 'd': {
      const s = String(Math.abs(v)).padStart(Math.max(prec, 1), '0');
      return v < 0 ? `-${s}` : s;
    }
    case 'X': case 'x': {
      const s = BigInt.asUintN(64, BigInt(v)).toString(16).padStart(Math.max(prec, 1), '0');
      return letter === 'X' ? s.toUpperCase() : s;
    }
    case 'G': case 'g': {
      if (prec < 1) return String(v);
      round(n, prec);
      let s = n.neg ? '-' : '';
      const sci = n.scale > prec;
      const intDigits = sci ? 1 : n.scale;
      let cur = 0;
      if (intDigits > 0) {
        for (let i = 0; i < intDigits; i++) s += cur < n.d.length ? n.d[cur++] : '0';
      } else {
        s += '0';
      }
      if (cur < n.d.length) s += `.${n.d.slice(cur)}`;
      if (sci) s += exponent(n.d.length === 0 ? 0 : n.scale - 1, letter === 'G' ? 'E' : 'e', 2, true);
      return s;
    }
    case 'E': case 'e': {
      const total = (prec < 0 ? 6 : prec) + 1;
      round(n, total);
      let s = (n.neg ? '-' : '') + (n.d.length > 0 ? n.d[0] : '0');
      if (total !== 1) s += '.';
      for (let i = 1; i < total; i++) s += digitAt(n, i);
      return s + exponent(n.d.length === 0 ? 0 : n.scale - 1, letter, 3, true);
    }
    case 'F': case 'f': {
      const dec = prec < 0 ? 2 : prec;
      round(n, n.scale + dec);
      return (n.neg ? '-' : '') + fixed(n, dec, false);
    }
    case 'N': case 'n': {
      const dec = prec < 0 ? 2 : prec;
      round(n, n.scale + dec);
      return (n.neg ? '-' : '') + fixed(n, dec, true);
    }
    case 'C': case 'c': {
      const dec = prec < 0 ? 2 : prec;
      round(n, n.scale + dec);
      const body = `¤${fixed(n, dec, true)}`;
      return n.neg ? `(${body})` : body;
    }
    case 'P': case 'p': {
      const dec = prec < 0 ? 2 : prec;
      n.scale += 2;
      round(n, n.scale + dec);
      return `${n.neg ? '-' : ''}${fixed(n, dec, true)} %`;
    }
    case 'R': case 'r':
      return { error: `the format specifier '${spec}' (round-trip) is not valid for an integer` };
    case 'B': case 'b':
      return { unknown: `format(): the binary format specifier '${spec}' exists only in .NET 8 and later` };
    default:
      return { error: `the format specifier '${spec}' is not a valid .NET numeric format` };
  }
}

/** Number.FindSection: start of section 1 (negative) or 2 (zero); 0 when absent or empty. */
function findSection(f: string, section: number): number {
  if (section === 0) return 0;
  let src = 0;
  for (;;) {
    if (src >= f.length) return 0;
    const ch = f[src++];
    if (ch === '\'' || ch === '"') {
      while (src < f.length && f[src++] !== ch);
    } else if (ch === '\\') {
      if (src < f.length) src++;
    } else if (ch === ';') {
      if (--section !== 0) continue;
      if (src < f.length && f[src] !== ';') return src;
      return 0;
    }
  }
}

/** Number.NumberToStringFormat for an integer, without the scientific ('E0') form. */
function custom(v: number, f: string): string | FormatOutcome {
  if (f.includes('\0')) return { unknown: 'format(): a NUL character in a custom numeric format is not reproduced' };
  const n = toNum(v);
  let section = findSection(f, n.d.length === 0 ? 2 : n.neg ? 1 : 0);
  let digitCount: number;
  let decimalPos: number;
  let firstDigit: number;
  let lastDigit: number;
  let thousandSeps: boolean;
  for (;;) {
    digitCount = 0;
    decimalPos = -1;
    firstDigit = 0x7fffffff;
    lastDigit = 0;
    let thousandPos = -1;
    let thousandCount = 0;
    thousandSeps = false;
    let scaleAdjust = 0;
    let src = section;
    while (src < f.length) {
      const ch = f[src++];
      if (ch === ';') break;
      switch (ch) {
        case '#': digitCount++; break;
        case '0':
          if (firstDigit === 0x7fffffff) firstDigit = digitCount;
          digitCount++;
          lastDigit = digitCount;
          break;
        case '.': if (decimalPos < 0) decimalPos = digitCount; break;
        case ',':
          if (digitCount > 0 && decimalPos < 0) {
            if (thousandPos >= 0) {
              if (thousandPos === digitCount) { thousandCount++; break; }
              thousandSeps = true;
            }
            thousandPos = digitCount;
            thousandCount = 1;
          }
          break;
        case '%': scaleAdjust += 2; break;
        case '\u2030': scaleAdjust += 3; break;
        case '\'': case '"': while (src < f.length && f[src++] !== ch); break;
        case '\\': if (src < f.length) src++; break;
        case 'E': case 'e':
          if (f[src] === '0' || ((f[src] === '+' || f[src] === '-') && f[src + 1] === '0')) {
            return { unknown: `format(): the scientific custom format '${f}' is not reproduced by the gate` };
          }
          break;
        default: break;
      }
    }
    if (decimalPos < 0) decimalPos = digitCount;
    if (thousandPos >= 0) {
      if (thousandPos === decimalPos) scaleAdjust -= thousandCount * 3;
      else thousandSeps = true;
    }
    if (n.d.length !== 0) {
      n.scale += scaleAdjust;
      round(n, n.scale + digitCount - decimalPos);
      if (n.d.length === 0) {
        const z = findSection(f, 2);
        if (z !== section) { section = z; continue; }
      }
    } else {
      n.neg = false;
      n.scale = 0;
    }
    break;
  }
  firstDigit = firstDigit < decimalPos ? decimalPos - firstDigit : 0;
  lastDigit = lastDigit > decimalPos ? decimalPos - lastDigit : 0;
  let digPos = n.scale > decimalPos ? n.scale : decimalPos;
  let adjust = n.scale - decimalPos;
  // Positions (digits left of the decimal point) after which a group separator goes.
  const sepPos: number[] = [];
  if (thousandSeps) {
    const totalDigits = digPos + (adjust < 0 ? adjust : 0);
    const numDigits = firstDigit > totalDigits ? firstDigit : totalDigits;
    for (let g = 3; numDigits > g; g += 3) sepPos.push(g);
  }
  let sepCtr = sepPos.length - 1;
  let out = n.neg && section === 0 && n.scale !== 0 ? '-' : '';
  let decimalWritten = false;
  let cur = 0;
  const emit = (c: string): void => {
    out += c;
    if (thousandSeps && digPos > 1 && sepCtr >= 0 && digPos === sepPos[sepCtr] + 1) {
      out += ',';
      sepCtr--;
    }
  };
  let src = section;
  while (src < f.length) {
    const ch = f[src++];
    if (ch === ';') break;
    if (adjust > 0 && (ch === '#' || ch === '0' || ch === '.')) {
      while (adjust > 0) {
        emit(cur < n.d.length ? n.d[cur++] : '0');
        digPos--;
        adjust--;
      }
    }
    switch (ch) {
      case '#': case '0': {
        let c: string | undefined;
        if (adjust < 0) {
          adjust++;
          c = digPos <= firstDigit ? '0' : undefined;
        } else {
          c = cur < n.d.length ? n.d[cur++] : digPos > lastDigit ? '0' : undefined;
        }
        if (c !== undefined) emit(c);
        digPos--;
        break;
      }
      case '.':
        if (digPos !== 0 || decimalWritten) break;
        if (lastDigit < 0 || (decimalPos < digitCount && cur < n.d.length)) {
          out += '.';
          decimalWritten = true;
        }
        break;
      case '\u2030': out += '\u2030'; break;
      case '%': out += '%'; break;
      case ',': break;
      case '\'': case '"':
        while (src < f.length && f[src] !== ch) out += f[src++];
        if (src < f.length) src++;
        break;
      case '\\':
        if (src < f.length) out += f[src++];
        break;
      default: out += ch; break;
    }
  }
  if (n.neg && section === 0 && n.scale === 0 && out.length > 0) out = `-${out}`;
  return out;
}
