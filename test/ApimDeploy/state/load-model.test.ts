import * as assert from 'node:assert/strict';
import { FileError } from '../../../tasks/common/errors';
import { desiredSecrets, loadDesiredState } from '../../../tasks/ApimDeploy/core/state/load-model';
import { MemoryFileSystem } from '../../helpers/memory-file-system';
import { FORMATS_MODEL, MODEL, SECRET_VALUE, formatsState, sampleState } from './fixture';

function under(folder: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, t]) => [`${folder}/${p}`, t]));
}

function load(files: Record<string, string>, env?: string) {
  const fs = new MemoryFileSystem(under('state', files));
  return loadDesiredState(fs, { stateFolder: 'state', environmentFile: env ? 'state/environments.yaml' : undefined, environment: env });
}

function fails(files: Record<string, string>, where: RegExp, env?: string): void {
  assert.throws(
    () => load(files, env),
    (e: unknown) => {
      assert.ok(e instanceof FileError, String(e));
      assert.match(e.message, where);
      return true;
    },
  );
}

describe('ApimDeploy v2: desired-state model', function () {
  this.timeout(60_000);
  it('reads every kind with its documents, defaults and the place it was declared', () => {
    const s = load(sampleState());
    assert.deepEqual(s.namedValues.map((n) => [n.id, n.displayName, n.secret, n.keyVault?.secretIdentifier ?? n.value]), [
      ['backend-key', 'backend-key', true, SECRET_VALUE],
      ['env-name', 'env-name', false, 'test'],
      ['kv-cert', 'kv-cert', true, 'https://kv-contoso.vault.azure.net/secrets/cert'],
    ]);
    assert.equal(s.namedValues[1].line, 5);
    assert.equal(s.apis[1].line, 24);
    assert.deepEqual(s.backends[0], {
      id: 'orders-backend', url: 'https://orders.internal.contoso.com', protocol: 'http', credentials: { header: { 'x-key': ['{{backend-key}}'] } }, source: 'state/apim.yaml', line: 11,
    });
    const orders = s.apis.find((a) => a.id === 'orders')!;
    assert.equal(orders.spec.format, 'openapi');
    assert.deepEqual(orders.spec.operationIds, ['listOrders', 'getOrder']);
    assert.equal(orders.policy?.source, 'state/apis/orders-policy.xml');
    assert.deepEqual([...orders.operationPolicies.keys()], ['listOrders']);
    assert.deepEqual(s.products[0].apis, ['orders', 'pets']);
    assert.equal(s.products[0].state, 'published');
    assert.ok(s.globalPolicy?.xml.includes('x-global'));
    assert.deepEqual(desiredSecrets(s), [SECRET_VALUE]);
  });

  it('applies one environment: backend URL, named value, product state, API backend URL', () => {
    const dev = load(sampleState(), 'dev');
    assert.equal(dev.backends[0].url, 'https://orders.dev.contoso.com');
    assert.equal(dev.namedValues.find((n) => n.id === 'env-name')!.value, 'dev');
    assert.equal(dev.products[0].state, 'notPublished');
    assert.equal(dev.apis[0].serviceUrl, 'https://orders.contoso.com');
    const prod = load(sampleState(), 'prod');
    assert.equal(prod.apis[0].serviceUrl, 'https://orders.prod.contoso.com');
    assert.equal(prod.products[0].state, 'published');
  });

  it('a state folder that does not exist is named, with the input that gave it', () => {
    const fs = new MemoryFileSystem(under('state', sampleState()));
    assert.throws(() => loadDesiredState(fs, { stateFolder: 'nostate' }), /nostate: not found: input 'stateFolder' names the folder that holds apim\.yaml$/);
  });

  it('names the file and line of a YAML syntax error, an unknown key and a wrong type', () => {
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('    path: pets', '    path: [pets') }, /^state\/apim\.yaml:\d+(:\d+)?: not valid YAML/);
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('    path: pets', '    paht: pets') }, /^state\/apim\.yaml:25: unknown key 'apis\.pets\.paht'/);
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('subscriptionRequired: true', 'subscriptionRequired: yes please') }, /^state\/apim\.yaml:32: 'products\.starter\.subscriptionRequired': expected true or false/);
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('  orders:\n    path', '  "orders v1":\n    path') }, /^state\/apim\.yaml:17: .*not a valid API Management id/);
  });

  it('reads tags of products and of operations (operationTags, next to operationPolicies); bad ones name file and line', () => {
    const tagged = MODEL.replace('    operationPolicies: apis/orders-ops\n', '    operationPolicies: apis/orders-ops\n    operationTags:\n      listOrders: [read-only, Public API]\n      GETORDER: read-only\n')
      .replace('    groups: [developers]\n', '    groups: [developers]\n    tags: [gold, partner]\n');
    const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    const s = load({ ...sampleState(), 'apim.yaml': tagged });
    const orders = s.apis.find((a) => a.id === 'orders')!;
    assert.deepEqual([...orders.operationTags], [['listOrders', ['read-only', 'Public API']], ['GETORDER', ['read-only']]]);
    assert.deepEqual(s.apis.find((a) => a.id === 'pets')!.operationTags.size, 0);
    assert.deepEqual(s.products[0].tags, ['gold', 'partner']);
    assert.deepEqual(load(sampleState()).products[0].tags, [], 'no tags declared: none');

    const bad = (text: string, needle: string, problem: RegExp) => fails({ ...sampleState(), 'apim.yaml': text }, new RegExp(`^state/apim\\.yaml:${lineOf(text, needle)}: ${problem.source}`));
    const unknownOp = tagged.replace('      GETORDER: read-only', '      deleteAll: [x]');
    bad(unknownOp, 'deleteAll', /'apis\.orders\.operationTags\.deleteAll': the definition state\/apis\/orders\.yaml has no operation 'deleteAll' \(operations: listOrders, getOrder\)/);
    const typo = tagged.replace('    tags: [gold, partner]', '    tag: [gold, partner]');
    bad(typo, '    tag:', /unknown key 'products\.starter\.tag' \(expected one of: .*tags, policy\)/);
    const opTypo = tagged.replace('    operationTags:', '    operationTag:');
    bad(opTypo, 'operationTag:', /unknown key 'apis\.orders\.operationTag' \(expected one of: .*operationTags\)/);
    const twice = tagged.replace('[gold, partner]', '[gold, GOLD]');
    bad(twice, 'tags: [gold', /'products\.starter\.tags\[1\]': tag 'GOLD' is listed twice/);
    const empty = tagged.replace('[gold, partner]', "[gold, '']");
    bad(empty, 'tags: [gold', /'products\.starter\.tags\[1\]': a tag name has 1 to 160 characters/);
    const notMapping = tagged.replace(/ {4}operationTags:\n( {6}.*\n)+/, '    operationTags: [read-only]\n');
    bad(notMapping, 'operationTags:', /'apis\.orders\.operationTags': expected a mapping/);
    const nested = tagged.replace('      GETORDER: read-only', '      getOrder: { tags: [x] }');
    bad(nested, 'getOrder:', /'apis\.orders\.operationTags\.getOrder': expected a list/);
  });

  it('reads WSDL and GraphQL APIs (format detected or given as specFormat, wsdl settings as v1); bad settings name file and line', () => {
    const s = load(formatsState());
    const [calc, library] = s.apis;
    assert.equal(calc.spec.kind, 'wsdl');
    assert.deepEqual(calc.wsdl, { serviceName: 'CalcService', endpointName: undefined, soapApiType: 'soap' });
    assert.deepEqual(calc.spec.operationIds, ['Add', 'Subtract']);
    assert.equal(library.spec.kind, 'graphql');
    assert.equal(library.wsdl, undefined);
    // A WSDL without a 'wsdl' mapping is SOAP pass-through, as v1's default.
    const oneService = formatsState();
    oneService['apis/calc.wsdl'] = oneService['apis/calc.wsdl'].replace(/\s*<service name="CalcLegacy">.*<\/service>/, '');
    oneService['apim.yaml'] = FORMATS_MODEL.replace(/ {4}wsdl:\n( {6}.*\n)+/, '');
    assert.deepEqual(load(oneService).apis[0].wsdl, { soapApiType: 'soap' });
    // An explicit format wins over detection.
    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('spec: apis/library.graphql', 'spec: apis/library.graphql\n    specFormat: openapi') }, /^state\/apis\/library\.graphql(:\d+)*: not valid YAML/);

    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('soapApiType: soap', 'soapApiType: rest') }, /^state\/apim\.yaml:9: 'apis\.calc\.wsdl\.soapApiType': .*soap/);
    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('serviceName: CalcService', 'service: CalcService') }, /^state\/apim\.yaml:8: unknown key 'apis\.calc\.wsdl\.service'/);
    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('spec: apis/library.graphql', 'spec: apis/library.graphql\n    specFormat: soap') }, /^state\/apim\.yaml:15: 'apis\.library\.specFormat': .*graphql/);
    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('    serviceName: CalcService\n', '') }, /^state\/apis\/calc\.wsdl: WSDL has several services \(CalcService, CalcLegacy\)/);
    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('serviceName: CalcService', 'serviceName: Nope') }, /^state\/apis\/calc\.wsdl: WSDL has no service 'Nope'/);
    fails({ ...formatsState(), 'apim.yaml': FORMATS_MODEL.replace('    serviceUrl: https://library.contoso.com/graphql\n', '') }, /^state\/apim\.yaml:10: 'apis\.library': API 'library' is a GraphQL API: it needs 'serviceUrl'/);
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('    spec: apis/pets.yaml', '    spec: apis/pets.yaml\n    wsdl: { soapApiType: http }') }, /^state\/apim\.yaml:27: 'apis\.pets\.wsdl': 'wsdl' applies to a WSDL definition/);
  });

  it('names the document and line of a broken definition or policy', () => {
    fails({ ...sampleState(), 'apis/orders-policy.xml': '<policies>\n  <inbound>\n    <base>\n  </inbound>\n</policies>\n' }, /^state\/apis\/orders-policy\.xml:\d+:\d+: policy XML is not well-formed/);
    fails({ ...sampleState(), 'apis/pets.yaml': 'openapi: 3.0.1\ninfo:\n  title: [x\n' }, /^state\/apis\/pets\.yaml:\d+/);
    fails({ ...sampleState(), 'apis/orders-ops/deleteAll.xml': sampleState()['apis/orders-ops/listOrders.xml'] }, /deleteAll\.xml: the definition .* has no operation 'deleteAll'/);
  });

  it('refuses a missing file, a path outside the folder, a malformed Key Vault reference and an override of something undeclared', () => {
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('spec: apis/pets.yaml', 'spec: apis/missing.yaml') }, /^state\/apim\.yaml:26: 'apis\.pets\.spec': file 'apis\/missing\.yaml' not found/);
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('spec: apis/pets.yaml', 'spec: ../secrets.yaml') }, /^state\/apim\.yaml:26: .*inside the state folder/);
    fails({ ...sampleState(), 'apim.yaml': MODEL.replace('https://kv-contoso.vault.azure.net/secrets/cert', 'https://kv-contoso.example.com/secrets/cert') }, /^state\/apim\.yaml:9: .*not a Key Vault secret identifier/);
    fails({ ...sampleState(), 'environments.yaml': 'dev:\n  backends:\n    billing:\n      url: https://x.contoso.com\n' }, /^state\/environments\.yaml:3: 'dev\.backends\.billing' overrides backends 'billing'/, 'dev');
    fails(sampleState(), /^state\/environments\.yaml:1: no environment 'qa' \(environments: dev, prod\)/, 'qa');
  });

  it('reads policy fragments and groups; a fragment must be well-formed with the root <fragment>', () => {
    const files = { ...sampleState(), 'apim.yaml': `${MODEL}policyFragments:\n  cors: fragments/cors.xml\ngroups:\n  partners:\n    type: external\n    externalId: aad://contoso.onmicrosoft.com/groups/1\n`, 'fragments/cors.xml': '<fragment><cors /></fragment>' };
    const s = load(files);
    assert.deepEqual(s.policyFragments.map((f) => [f.id, f.doc.source, f.line]), [['cors', 'state/fragments/cors.xml', 38]]);
    assert.deepEqual(s.groups.map((g) => [g.id, g.displayName, g.type]), [['partners', 'partners', 'external']]);
    fails({ ...files, 'fragments/cors.xml': '<policies><inbound /></policies>' }, /^state\/fragments\/cors\.xml:1: the root element of a policy fragment must be <fragment>/);
    fails({ ...files, 'fragments/cors.xml': '<fragment>\n<cors>\n</fragment>' }, /^state\/fragments\/cors\.xml:3:\d+: policy fragment XML is not well-formed/);
    fails({ ...files, 'apim.yaml': files['apim.yaml'].replace('    externalId: aad://contoso.onmicrosoft.com/groups/1\n', '') }, /^state\/apim\.yaml:40: .*needs 'externalId'/);
  });

  it('reads retireRevisions per API and as the default for all (per API wins, none opts out); bad values name file and line', () => {
    const withRetire = (top: string, orders: string) =>
      ({ ...sampleState(), 'apim.yaml': `${top}${MODEL.replace('    spec: apis/orders.yaml\n', `    spec: apis/orders.yaml\n${orders}`)}` });
    const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;
    const own = load(withRetire('', '    retireRevisions: { action: delete, keep: 2 }\n'));
    assert.deepEqual(own.apis.map((a) => [a.id, a.retire?.action, a.retire?.keep]), [['orders', 'delete', 2], ['pets', undefined, undefined]]);
    assert.equal(own.apis[0].retire?.line, 22);

    const byDefault = load(withRetire('retireRevisions:\n  action: offline\n  keep: 3\n', '    retireRevisions:\n      action: delete\n      keep: 1\n'));
    assert.deepEqual(byDefault.apis.map((a) => [a.id, a.retire?.action, a.retire?.keep]), [['orders', 'delete', 1], ['pets', 'offline', 3]]);
    const optOut = load(withRetire('retireRevisions: { action: offline, keep: 3 }\n', '    retireRevisions: none\n'));
    assert.deepEqual(optOut.apis.map((a) => [a.id, a.retire?.action]), [['orders', undefined], ['pets', 'offline']]);

    // An environment may change it per API (prod keeps revisions offline, dev deletes them).
    const envFiles = { ...withRetire('', '    retireRevisions: { action: offline, keep: 3 }\n'), 'environments.yaml': 'dev:\n  apis:\n    orders:\n      retireRevisions: { action: delete, keep: 1 }\n    pets:\n      retireRevisions: { action: delete, keep: 2 }\nprod: {}\n' };
    assert.deepEqual(load(envFiles, 'dev').apis.map((a) => [a.id, a.retire?.action, a.retire?.keep, a.retire?.source]), [
      ['orders', 'delete', 1, 'state/environments.yaml'], ['pets', 'delete', 2, 'state/environments.yaml'],
    ]);
    assert.deepEqual(load(envFiles, 'prod').apis.map((a) => [a.id, a.retire?.action]), [['orders', 'offline'], ['pets', undefined]]);
    fails({ ...envFiles, 'environments.yaml': 'dev:\n  apis:\n    orders:\n      retireRevisions: { action: remove, keep: 1 }\n' }, /^state\/environments\.yaml:4: 'dev\.apis\.orders\.retireRevisions\.action': 'remove' is not one of: offline, delete/, 'dev');

    const bad = (orders: string, problem: RegExp, top = '') => {
      const files = withRetire(top, orders);
      const line = lineOf(files['apim.yaml'], top ? 'retireRevisions' : '    retireRevisions');
      fails(files, new RegExp(`^state/apim\\.yaml:${line}: ${problem.source}`));
    };
    bad('    retireRevisions: { action: archive, keep: 1 }\n', /'apis\.orders\.retireRevisions\.action': 'archive' is not one of: offline, delete/);
    bad('    retireRevisions: { action: delete, keep: 0 }\n', /'apis\.orders\.retireRevisions\.keep': expected a whole number from 1 to 1000; got '0'/);
    bad('    retireRevisions: { action: delete, kep: 2 }\n', /unknown key 'apis\.orders\.retireRevisions\.kep' \(expected one of: action, keep\)/);
    bad('    retireRevisions: { action: delete }\n', /'apis\.orders\.retireRevisions': 'keep' is required/);
    bad('    retireRevisions: delete\n', /'apis\.orders\.retireRevisions': expected 'none' or a mapping/);
    bad('', /'retireRevisions\.keep': expected a whole number from 1 to 1000; got '2\.5'/, 'retireRevisions: { action: offline, keep: 2.5 }\n');
  });

  it('reads a definition larger than 4 MB', () => {
    // JSON, as large generated definitions usually are.
    const paths = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`/items/${i}/with/a/long/enough/path`, { get: { operationId: `op${i}`, description: 'x'.repeat(100), responses: { 200: { description: 'ok' } } } }]));
    const big = JSON.stringify({ openapi: '3.0.1', info: { title: 'Big' }, paths });
    assert.ok(big.length > 4 * 1024 * 1024, `${big.length} bytes`);
    const s = load({ ...sampleState(), 'apis/pets.yaml': big });
    assert.equal(s.apis[1].spec.operationIds.length, 30_000);
  });
});
