/** Azure's ids of subscriptions, tenants and clients: a GUID in its 8-4-4-4-12 hexadecimal form, any case. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(s: string): boolean {
  return GUID.test(s);
}
