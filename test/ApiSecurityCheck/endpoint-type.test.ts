/**
 * The "API with client certificate" contribution in vss-extension.json agrees with its reader and
 * its task: the same type name and field names, every secret confidential, a scheme Azure DevOps
 * accepts, and help that says how to export a PFX.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API_CONNECTION_FIELDS, API_CONNECTION_TYPE } from '../../tasks/common/endpoints/api-client-certificate';
import { loadSchemas } from '../../scripts/validate';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** The scheme types Azure DevOps accepts in an endpoint contribution (the closed set of its validator). */
const SCHEME_TYPES = [
  'ms.vss-endpoint.endpoint-auth-scheme-basic',
  'ms.vss-endpoint.endpoint-auth-scheme-token',
  'ms.vss-endpoint.endpoint-auth-scheme-cert',
  'ms.vss-endpoint.endpoint-auth-scheme-none',
  'ms.vss-endpoint.endpoint-auth-scheme-oauth2',
  'ms.vss-endpoint.endpoint-auth-scheme-jwt',
];

interface Descriptor {
  id: string;
  name: string;
  description: string;
  inputMode: string;
  isConfidential: boolean;
  validation?: { isRequired?: boolean };
}

describe('ApiSecurityCheck: the "API with client certificate" endpoint type', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'vss-extension.json'), 'utf8'));
  const contribution = manifest.contributions.find((c: any) => c.type === 'ms.vss-endpoint.service-endpoint-type' && c.properties?.name === API_CONNECTION_TYPE);

  it('is contributed under the type name the reader and task use, and the manifest stays valid', () => {
    assert.ok(contribution, `an endpoint type named ${API_CONNECTION_TYPE}`);
    assert.deepEqual(contribution.targets, ['ms.vss-endpoint.endpoint-types']);
    assert.equal(contribution.properties.displayName, 'API with client certificate');
    assert.equal(contribution.properties.url.isVisible, 'true', 'the URL field is shown (hidden when omitted)');
    assert.equal(contribution.properties.url.required, true);
    const task = JSON.parse(fs.readFileSync(path.join(REPO, 'tasks', 'ApiSecurityCheck', 'v1', 'task.json'), 'utf8'));
    assert.equal(task.inputs.find((i: any) => i.name === 'apiConnection').type, `connectedService:${API_CONNECTION_TYPE}`);
    const validate = loadSchemas().manifest;
    assert.ok(validate(manifest), JSON.stringify(validate.errors));
  });

  it('has one authentication scheme of an accepted type, holding exactly the contract fields', () => {
    const schemes = contribution.properties.authenticationSchemes;
    assert.equal(schemes.length, 1);
    assert.ok(SCHEME_TYPES.includes(schemes[0].type.toLowerCase()), schemes[0].type);
    const ids = (schemes[0].inputDescriptors as Descriptor[]).map((d) => d.id);
    assert.deepEqual([...ids].sort(), Object.values(API_CONNECTION_FIELDS).sort());
  });

  it('every secret is a confidential parameter of the scheme; the public CA bundle is not hidden', () => {
    const descriptors = contribution.properties.authenticationSchemes[0].inputDescriptors as Descriptor[];
    const byId = new Map(descriptors.map((d) => [d.id, d]));
    for (const id of ['clientCertificate', 'clientKey', 'pfx', 'pfxPassword', 'subscriptionKey']) assert.equal(byId.get(id)?.isConfidential, true, id);
    assert.equal(byId.get('caCertificate')?.isConfidential, false);
    for (const d of descriptors) {
      assert.ok(d.name && d.description.length > 40, `${d.id} has help text`);
      assert.equal(d.validation?.isRequired, false, `${d.id} is optional: PEM or PFX, and the rest as needed`);
      assert.ok(['textarea', 'passwordbox', 'textbox'].includes(d.inputMode), d.inputMode);
    }
    // No endpoint data at the type level: task-lib echoes data values into the debug log.
    assert.equal(contribution.properties.inputDescriptors, undefined);
  });

  it('the help says how to export a PFX on Windows, with OpenSSL and from Key Vault', () => {
    const pfx = (contribution.properties.authenticationSchemes[0].inputDescriptors as Descriptor[]).find((d) => d.id === 'pfx')!;
    assert.match(pfx.description, /Export-PfxCertificate/);
    assert.match(pfx.description, /openssl pkcs12 -export/);
    assert.match(pfx.description, /base64/);
    assert.match(pfx.description, /az keyvault secret download/);
  });
});
