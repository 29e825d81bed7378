/**
 * A resource type in lower case, remembered: a scan meets a few hundred types, each on many
 * resources and asked about by many controls, and lower-casing one made a new string each time.
 */
const lowerTypes = new Map<string, string>();

export function lowerType(type: string): string {
  let lower = lowerTypes.get(type);
  if (lower === undefined) {
    lower = type.toLowerCase();
    if (lowerTypes.size < 10_000) lowerTypes.set(type, lower);
  }
  return lower;
}
