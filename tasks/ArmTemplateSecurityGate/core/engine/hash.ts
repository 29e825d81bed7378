/**
 * Deterministic ARM hash functions.
 *
 * uniqueString(): ARM joins the arguments with '-', hashes the UTF-8 bytes with the 64-bit
 * MurmurHash variant of Microsoft.PowerPlatform.ResourceStack (two 32-bit lanes, MurmurHash3
 * x86 constants) and writes the top 65 bits as 13 base-32 characters [a-z2-7].
 *
 * guid(): an RFC 4122 version 5 (SHA-1, name-based) UUID over the '-'-joined arguments in
 * ARM's namespace 11fb06fb-712d-4ddd-98c7-e71bbd588830.
 */
import { createHash } from 'crypto';

const C1 = 0x239b961b;
const C2 = 0xab0e9789;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function readLe(data: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v |= data[at + k] << (8 * k);
  return v >>> 0;
}

/** Returns the 64-bit hash as [high, low] 32-bit halves. */
export function murmurHash64(data: Uint8Array): [number, number] {
  const len = data.length;
  let h1 = 0;
  let h2 = 0;
  let i = 0;
  for (; i + 7 < len; i += 8) {
    let k1 = readLe(data, i, 4);
    let k2 = readLe(data, i + 4, 4);
    k1 = Math.imul(rotl(Math.imul(k1, C1) >>> 0, 15), C2) >>> 0;
    h1 = (Math.imul((rotl((h1 ^ k1) >>> 0, 19) + h2) >>> 0, 5) + 0x561ccd1b) >>> 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2) >>> 0, 17), C1) >>> 0;
    h2 = (Math.imul((rotl((h2 ^ k2) >>> 0, 13) + h1) >>> 0, 5) + 0x0bcaa747) >>> 0;
  }
  const tail = len - i;
  if (tail > 0) {
    const k1 = Math.imul(rotl(Math.imul(readLe(data, i, Math.min(tail, 4)), C1) >>> 0, 15), C2) >>> 0;
    h1 = (h1 ^ k1) >>> 0;
    if (tail > 4) {
      const k2 = Math.imul(rotl(Math.imul(readLe(data, i + 4, tail - 4), C2) >>> 0, 17), C1) >>> 0;
      h2 = (h2 ^ k2) >>> 0;
    }
  }
  h1 = (h1 ^ len) >>> 0;
  h2 = (h2 ^ len) >>> 0;
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  return [h2, h1];
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export function uniqueString(parts: readonly string[]): string {
  const [hi, lo] = murmurHash64(Buffer.from(parts.join('-'), 'utf8'));
  let v = (BigInt(hi) << 32n) | BigInt(lo);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out += BASE32[Number(v >> 59n)];
    v = (v << 5n) & 0xffffffffffffffffn;
  }
  return out;
}

const ARM_NAMESPACE = Buffer.from('11fb06fb712d4ddd98c7e71bbd588830', 'hex');

export function armGuid(parts: readonly string[]): string {
  const hash = createHash('sha1').update(ARM_NAMESPACE).update(Buffer.from(parts.join('-'), 'utf8')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
