import * as zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  data?: Buffer;
  /** A symbolic link to this target (stored with the Unix S_IFLNK mode, as Info-ZIP does). */
  symlink?: string;
  directory?: boolean;
}

const DOS_TIME = 0x6000;
const DOS_DATE = 0x5921;

/**
 * A zip as Jenkins streams `*zip*` (java.util.zip.ZipOutputStream): deflated entries whose sizes
 * and CRC follow the data in a data descriptor (flag bit 3), so the archive can be written
 * without knowing its length; then the central directory.
 */
export function* zipChunks(entries: ZipEntry[]): Generator<Buffer> {
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const raw = e.symlink !== undefined ? Buffer.from(e.symlink, 'utf8') : (e.data ?? Buffer.alloc(0));
    const deflate = !e.directory && e.symlink === undefined;
    const body = deflate ? zlib.deflateRawSync(raw) : raw;
    const crc = zlib.crc32(raw) >>> 0;
    const flags = 0x0808;
    const method = deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(body.length, 8);
    descriptor.writeUInt32LE(raw.length, 12);
    yield Buffer.concat([local, name]);
    if (body.length) yield body;
    yield descriptor;

    const mode = e.directory ? 0o40755 : e.symlink !== undefined ? 0o120777 : 0o100644;
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(DOS_TIME, 12);
    c.writeUInt16LE(DOS_DATE, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(raw.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE((mode << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += local.length + name.length + body.length + descriptor.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  yield cd;
  yield end;
}
