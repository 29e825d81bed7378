import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toolRoot } from '../../scripts/paths';

export const FIXTURE_ROOT = path.join(toolRoot(), 'test', 'fixtures', 'extension');

/** A private copy of the fixture extension, for tests that mutate it. */
export function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-fixture-'));
  fs.cpSync(FIXTURE_ROOT, dir, { recursive: true });
  return dir;
}

export function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export const quiet = (): void => undefined;
