import * as assert from 'node:assert/strict';
import { explainApimError } from '../../tasks/ApimDeploy/core/apim-errors';
import { deployApi } from '../../tasks/ApimDeploy/core/deploy-api';
import { deployGlobalPolicy, deployProduct } from '../../tasks/ApimDeploy/core/deploy-product';
import type { ProductSettings } from '../../tasks/ApimDeploy/core/model';
import { releaseRevision } from '../../tasks/ApimDeploy/core/release-revision';
import { ApimHarness } from './apim-harness';
import { apiSettings, fakeDeps, PETS_V3, POLICY } from './helpers';

function product(over: Partial<ProductSettings> = {}): ProductSettings {
  return { productId: 'gold', groups: [], removeOtherGroups: false, policy: { kind: 'none' }, ...over };
}

describe('ApimDeploy core: product, global policy, release', () => {
  it('product: created with its fields and groups; a re-run writes nothing', async () => {
    const { deps, apim } = fakeDeps({});
    const s = product({ displayName: 'Gold', state: 'published', subscriptionsLimit: 2, approvalRequired: true, groups: ['Developers'] });
    const out = await deployProduct(s, deps);
    assert.equal(out.productId, 'gold');
    const { etag: _etag, ...stored } = (await apim.gateway.getProduct('gold'))!;
    assert.deepEqual(stored, { displayName: 'Gold', description: undefined, terms: undefined, subscriptionRequired: true, approvalRequired: true, subscriptionsLimit: 2, state: 'published' });
    // APIM gives every new product the built-in administrators group.
    assert.deepEqual(apim.productGroups('gold'), ['administrators', 'developers']);
    apim.resetWrites();
    assert.equal((await deployProduct(s, deps)).writes, 0);
    assert.deepEqual(apim.writes, []);
  });

  it('product: groups are only added unless removal is asked for', async () => {
    const { deps, apim } = fakeDeps({});
    await deployProduct(product({ groups: ['developers', 'guests'] }), deps);
    await deployProduct(product({ groups: ['developers'] }), deps);
    assert.deepEqual(apim.productGroups('gold').sort(), ['administrators', 'developers', 'guests']);
    await deployProduct(product({ groups: ['developers'], removeOtherGroups: true }), deps);
    assert.deepEqual(apim.productGroups('gold'), ['developers']);
  });

  it('product: a missing group fails before anything is written', async () => {
    const { deps, apim } = fakeDeps({});
    await assert.rejects(deployProduct(product({ groups: ['partners'] }), deps), /Group\(s\) 'partners' do not exist/);
    assert.deepEqual(apim.writes, []);
  });

  it('product: the Consumption tier has no groups — skipped with a warning', async () => {
    const apim = new ApimHarness({ sku: 'Consumption', gatewayUrl: 'https://c.azure-api.net' });
    const { deps, logger } = fakeDeps({}, apim);
    await deployProduct(product({ groups: ['developers'] }), deps);
    assert.ok(apim.product('gold'));
    assert.deepEqual(Object.values(apim.state.products).flatMap((p) => p.groups), []);
    assert.ok(logger.lines.some((l) => /^warning: .*Consumption tier, which has no groups/.test(l)));
  });

  it('product: no approval or limit on a product without subscriptions', async () => {
    const { deps, apim } = fakeDeps({});
    await deployProduct(product({ subscriptionRequired: false, approvalRequired: true, subscriptionsLimit: 1 }), deps);
    assert.equal(apim.product('gold')?.approvalRequired, undefined);
    assert.equal(apim.product('gold')?.subscriptionsLimit, undefined);
  });

  it('product policy from a template; unchanged on re-run', async () => {
    const { deps, apim } = fakeDeps({});
    const s = product({ policy: { kind: 'template', input: 'policyTemplate', text: '- quotaByKey: { calls: 10 }' } });
    await deployProduct(s, deps);
    assert.match((await apim.policy({ kind: 'product', productId: 'gold' })) ?? '', /quota-by-key calls="10"/);
    apim.resetWrites();
    await deployProduct(s, deps);
    assert.deepEqual(apim.writes, []);
  });

  it('global policy: written once, then unchanged; <base /> refused before sending', async () => {
    const global = POLICY.replace(/<base \/>/g, '').replace('<backend></backend>', '<backend><forward-request /></backend>');
    const { deps, apim } = fakeDeps({ 'g.xml': global, 'bad.xml': POLICY });
    await deployGlobalPolicy({ policy: { kind: 'document', source: { kind: 'file', path: 'g.xml' } } }, deps);
    assert.equal(apim.writes.length, 1);
    assert.equal((await deployGlobalPolicy({ policy: { kind: 'document', source: { kind: 'file', path: 'g.xml' } } }, deps)).writes, 0);
    await assert.rejects(deployGlobalPolicy({ policy: { kind: 'document', source: { kind: 'file', path: 'bad.xml' } } }, deps), /bad\.xml:3: <base \/> is not allowed/);
    assert.equal(apim.writes.length, 1);
  });

  it('releaseRevision: the newest by default, a given one on request; already current writes nothing', async () => {
    const { deps, apim } = fakeDeps({ 'specs/pets.yaml': PETS_V3 });
    await deployApi(apiSettings(), deps);
    for (const op of ['x', 'y']) {
      const f = fakeDeps({ 'specs/pets.yaml': PETS_V3.replace('listPets', `list${op}`) }, apim);
      await deployApi(apiSettings({ revisionMode: 'newRevision' }), f.deps);
    }
    const out = await releaseRevision({ apiId: 'pets', notes: 'n', retire: { action: 'none', keep: 1 } }, deps);
    assert.equal(out.apiRevision, '3');
    assert.equal(apim.current('pets'), 3);
    await releaseRevision({ apiId: 'pets', revision: 2, retire: { action: 'none', keep: 1 } }, deps);
    assert.equal(apim.current('pets'), 2, 'rollback to a given revision');
    apim.resetWrites();
    assert.equal((await releaseRevision({ apiId: 'pets', revision: 2, retire: { action: 'none', keep: 1 } }, deps)).writes, 0);
    await assert.rejects(releaseRevision({ apiId: 'pets', revision: 9, retire: { action: 'none', keep: 1 } }, deps), /has no revision 9 \(revisions: 1, 2, 3\)/);
    await assert.rejects(releaseRevision({ apiId: 'nope', retire: { action: 'none', keep: 1 } }, deps), /API 'nope' does not exist/);
  });

  describe('ARM errors become messages that say what to fix', () => {
    const rest = (statusCode: number, code: string, message: string, details: Array<{ target?: string; message: string }> = []) =>
      Object.assign(new Error(message), { name: 'RestError', statusCode, code, details: { error: { code, message, details } }, request: { method: 'PUT', url: 'https://management.azure.com/subscriptions/s/x/apis/a?api-version=2024-05-01' } });
    const cases: Array<[string, Error, RegExp]> = [
      ['spec parse error', rest(400, 'ValidationError', 'One or more fields contain incorrect values:', [{ target: 'representation', message: 'Parsing error(s): bad' }]), /Parsing error\(s\): bad.*What to do: APIM could not parse the API definition/],
      ['non-current revision', rest(400, 'ValidationError', "Can't change property Description for non-current revision"), /only change on the current revision/],
      ['same path', rest(400, 'ValidationError', "Cannot create API 'b' with the same Path 'x' as API 'a' unless it's a part of the same version set"), /another API already uses this URL suffix/],
      ['api-version below minimum', rest(400, 'MissingOrIncorrectVersionParameter', 'API version query parameter is not specified'), /minimum API version/],
      ['concurrent edit', rest(409, 'PessimisticConcurrencyConflict', 'Operation on the API is in progress'), /another deployment is changing this API/],
      ['too large', rest(413, 'RequestedSizeExceeded', 'too big'), /too large/],
      ['etag mismatch', rest(412, 'PreconditionFailed', 'modified'), /ETag mismatch/],
      ['no permission', rest(403, 'AuthorizationFailed', 'no'), /API Management Service Contributor/],
    ];
    for (const [name, err, expected] of cases) {
      it(name, () => {
        const e = explainApimError(err, "Creating or updating API 'a'");
        assert.match(e.message, /^Creating or updating API 'a' failed: Azure Resource Manager \(PUT \/subscriptions\/s\/x\/apis\/a\) answered HTTP \d+/);
        assert.match(e.message, expected);
      });
    }
  });
});
