import * as fs from 'fs';
import * as zlib from 'zlib';

/** Just enough of a ustar reader to inspect an npm package (.tgz): names, sizes, modes and contents. */

export interface TarEntry {
  name: string;
  mode: number;
  size: number;
  data: Buffer;
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

export function readTgz(file: string): TarEntry[] {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  const entries: TarEntry[] = [];
  for (let offset = 0; offset + 512 <= buf.length; ) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const data = buf.subarray(offset + 512, offset + 512 + size);
    if (type === '0' || type === '\0') entries.push({ name: prefix ? `${prefix}/${name}` : name, mode: parseInt(field(header, 100, 8).trim() || '0', 8), size, data });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
