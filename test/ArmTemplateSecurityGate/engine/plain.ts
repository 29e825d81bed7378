/**
 * Engine objects inherit nothing (not even Object.prototype), so deepStrictEqual would tell them
 * from object literals by their prototype alone: tests compare their plain JSON form.
 */
export function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
