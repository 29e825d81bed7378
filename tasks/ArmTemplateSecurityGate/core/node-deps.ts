/**
 * The real file system, clock and a logger over plain callbacks, for the CLI and the tasks
 * (which pass their own logging). Reads only what the scan is pointed at.
 */
import * as nodeFs from 'node:fs';
import type { GateDeps, GateFs, GateLogger } from './scan-types';

export const nodeGateFs: GateFs = {
  readFile: (file) => nodeFs.readFileSync(file, 'utf8'),
  exists: (file) => nodeFs.existsSync(file),
  isDirectory: (file) => {
    try {
      return nodeFs.statSync(file).isDirectory();
    } catch {
      return false;
    }
  },
  readdir: (dir) => nodeFs.readdirSync(dir),
  realPath: (file) => {
    try {
      return nodeFs.realpathSync.native(file);
    } catch {
      return file;
    }
  },
};

export function nodeGateDeps(logger: GateLogger): GateDeps {
  return { fs: nodeGateFs, clock: { now: () => new Date() }, logger };
}
