import { TaskError } from '../../common/errors';
import type { AppSettingsPatch } from './model';

export const RUN_FROM_PACKAGE = 'WEBSITE_RUN_FROM_PACKAGE';

export interface SettingsChange {
  next: Record<string, string>;
  /** Keys set or changed, and removed: what the log may show (never the values). */
  changed: string[];
  removed: string[];
}

/**
 * Applies the user's patch and what the deployment method needs to the service's current
 * settings. Returns undefined when nothing changes, so an unchanged app is not written (a write
 * restarts the app).
 */
export function patchAppSettings(current: Record<string, string>, patch: AppSettingsPatch | undefined, runFromPackage: boolean, label: string): SettingsChange | undefined {
  // A Map: an app setting may be named __proto__ or constructor like any other.
  const next = new Map(Object.entries(current));
  const changed: string[] = [];
  const removed: string[] = [];
  const keyOf = (name: string) => [...next.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  const set = (name: string, value: string) => {
    const existing = keyOf(name);
    if (existing !== undefined && next.get(existing) === value) return;
    if (existing !== undefined && existing !== name) next.delete(existing);
    next.set(name, value);
    changed.push(name);
  };
  const remove = (name: string) => {
    const existing = keyOf(name);
    if (existing === undefined) return;
    next.delete(existing);
    removed.push(existing);
  };

  const rfp = next.get(keyOf(RUN_FROM_PACKAGE) ?? RUN_FROM_PACKAGE);
  if (rfp !== undefined && rfp !== '1' && rfp !== '0' && rfp !== '') {
    throw new TaskError(`${label} runs from a package URL (app setting ${RUN_FROM_PACKAGE}); a package deployed through Kudu would not take effect. Remove that setting first, or deploy by updating the URL.`);
  }
  if (runFromPackage) set(RUN_FROM_PACKAGE, '1');
  else if (rfp !== undefined) remove(RUN_FROM_PACKAGE);

  for (const name of patch?.remove ?? []) remove(name);
  for (const [name, value] of patch?.set ?? []) set(name, value);
  // fromEntries defines own properties, so a setting named __proto__ stays a setting.
  return changed.length || removed.length ? { next: Object.fromEntries(next), changed, removed } : undefined;
}
