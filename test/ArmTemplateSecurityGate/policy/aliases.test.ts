/**
 * The shipped alias table: generated from the cited provider data (never typed by hand), read
 * without regard to case, and compact.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { aliasTableSize, resolveAlias, tableCoversType } from '../../../tasks/ArmTemplateSecurityGate/core/policy/aliases';
import { generateTable, PROVIDERS, renderTable, TABLE_FILE, typeEntries } from '../../../scripts/gen-policy-aliases';
import { repoRoot } from '../paths';

describe('policy alias table', () => {
  it('is what scripts/gen-policy-aliases.ts makes of the committed provider excerpts (run it after changing them)', () => {
    const wanted = controls.flatMap((c) => c.meta.resourceTypes);
    const { table } = generateTable(path.join(repoRoot(), PROVIDERS), wanted);
    assert.equal(fs.readFileSync(path.join(repoRoot(), TABLE_FILE), 'utf8'), renderTable(table));
    assert.equal(table.source.repository, 'Azure/PSRule.Rules.Azure');
    assert.match(table.source.commits['microsoft.storage'] ?? '', /^[0-9a-f]{40}$/);
  });

  it('resolves aliases without regard to case, array aliases included', () => {
    assert.equal(resolveAlias('microsoft.storage/storageaccounts/networkAcls.ipRules[*].value')?.paths.get('microsoft.storage/storageaccounts'), 'properties.networkAcls.ipRules[*].value');
    assert.equal(resolveAlias('Microsoft.Storage/storageAccounts/enableBlobEncryption')?.paths.get('microsoft.storage/storageaccounts'), 'properties.encryption.services.blob.enabled');
    assert.equal(resolveAlias('Microsoft.Storage/storageAccounts/sku.name')?.paths.get('microsoft.storage/storageaccounts'), 'sku.name');
    assert.equal(resolveAlias('Microsoft.KeyVault/vaults/enablePurgeProtection')?.paths.get('microsoft.keyvault/vaults'), 'properties.enablePurgeProtection');
    assert.equal(resolveAlias('Microsoft.KeyVault/vaults/sku.name')?.paths.get('microsoft.keyvault/vaults'), 'properties.sku.name', 'a Key Vault sku lives under properties');
    assert.equal(resolveAlias('Microsoft.Storage/storageAccounts/noSuchAlias'), undefined);
    assert.ok(tableCoversType('microsoft.keyvault/VAULTS'));
    assert.ok(aliasTableSize().aliases >= 200);
  });

  it('the generator writes "" for the usual properties.<suffix>, the path otherwise, and whole names for aliases outside the type', () => {
    const entries = typeEntries(
      [{ resourceType: 'virtualMachines', aliases: { 'Microsoft.Compute/virtualMachines/licenseType': 'properties.licenseType', 'Microsoft.Compute/virtualMachines/sku.name': 'properties.hardwareProfile.vmSize', 'Microsoft.Compute/imageSku': 'properties.storageProfile.imageReference.sku' } }],
      'Microsoft.Compute/virtualMachines',
    );
    assert.deepEqual(entries, { 'Microsoft.Compute/imageSku': 'properties.storageProfile.imageReference.sku', licenseType: '', 'sku.name': 'properties.hardwareProfile.vmSize' });
    assert.equal(typeEntries([{ resourceType: 'virtualMachines', aliases: null }], 'Microsoft.Compute/virtualMachines'), undefined);
  });
});
