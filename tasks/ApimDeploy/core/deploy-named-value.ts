import { DeployError } from './apim-errors';
import type { NamedValuePut, NamedValueState } from './gateway';
import type { DeployOutputs, NamedValueSettings } from './model';
import type { DeployDeps } from './sources';
import { WriteLog } from './write-log';

/** Key Vault secret URLs compare without case (vault and secret names are case-insensitive) and trailing slash. */
function sameSecretUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

function sameTags(a: string[], b: string[]): boolean {
  const norm = (t: string[]) => [...new Set(t.map((x) => x.toLowerCase()))].sort().join('\n');
  return norm(a) === norm(b);
}

/**
 * Which fields differ between the service and what we would PUT. The value of a secret is read
 * (listValue) only when everything else already matches, so an update that is certain anyway
 * does not fetch a secret it does not need.
 */
async function changedFields(id: string, current: NamedValueState, want: NamedValuePut, deps: DeployDeps): Promise<string[]> {
  const changed: string[] = [];
  if (current.displayName !== want.displayName) changed.push('displayName');
  if (current.secret !== want.secret) changed.push('secret');
  if (!sameTags(current.tags, want.tags)) changed.push('tags');
  if (want.keyVault) {
    const kv = current.keyVault;
    if (!kv || !sameSecretUrl(kv.secretIdentifier, want.keyVault.secretIdentifier) || (kv.identityClientId ?? '').toLowerCase() !== (want.keyVault.identityClientId ?? '').toLowerCase()) {
      changed.push('keyVault');
    }
  } else if (current.keyVault) {
    changed.push('value');
  } else if (changed.length === 0) {
    const value = current.secret ? await deps.gateway.readNamedValueSecret(id) : current.value;
    if (value !== want.value) changed.push('value');
  }
  // Otherwise something else changes anyway and the PUT carries the value: the secret is not read.
  return changed;
}

/** Creates or updates one named value (plain, secret or Key Vault reference); no write when it is already as asked. */
export async function deployNamedValue(s: NamedValueSettings, deps: DeployDeps): Promise<DeployOutputs> {
  const { gateway, logger, loc } = deps;
  const writes = new WriteLog(logger);
  const id = s.namedValueId;
  const current = await gateway.getNamedValue(id);
  const want: NamedValuePut = {
    displayName: s.displayName,
    secret: s.source.kind === 'keyVault' ? true : s.secret,
    tags: s.tags ?? current?.tags ?? [],
    ...(s.source.kind === 'keyVault'
      ? { keyVault: { secretIdentifier: s.source.secretIdentifier, identityClientId: s.source.identityClientId } }
      : { value: s.source.value }),
  };
  const kind =
    s.source.kind === 'keyVault' ? loc('NamedValueKindKeyVault', s.source.secretIdentifier) : want.secret ? loc('NamedValueKindSecret') : loc('NamedValueKindPlain');
  if (s.source.kind === 'keyVault' && /\/secrets\/[^/]+\/[^/]+\/?$/i.test(s.source.secretIdentifier)) logger.info(loc('NamedValueVersionedSecret', id));

  const changed = current ? await changedFields(id, current, want, deps) : [];
  if (current && changed.length === 0) {
    logger.info(loc('NamedValueUnchanged', id));
    return { namedValueId: id, writes: 0 };
  }
  // APIM resolves {{name}} by display name, which must be unique: say so before the PUT fails.
  const clash = (await gateway.listNamedValues()).find((n) => n.name.toLowerCase() !== id.toLowerCase() && (n.displayName ?? '').toLowerCase() === want.displayName.toLowerCase());
  if (clash) throw new DeployError(loc('NamedValueDisplayNameTaken', clash.name, want.displayName, id));

  if (current) await writes.run(loc('NamedValueUpdate', id, kind, changed.join(', ')), () => gateway.putNamedValue(id, want, current.etag));
  else await writes.run(loc('NamedValueCreate', id, kind), () => gateway.putNamedValue(id, want));
  return { namedValueId: id, writes: writes.writes };
}
