/**
 * The shipped alias table: generated from the cited provider data (never typed by hand), read
 * without regard to case, and compact.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { aliasTableSize, resolveAlias, tableCoversType } from '../../../tasks/ArmTemplateSecurityGate/core/policy/aliases';
import {
  aliasType, BUILTINS, builtinCoverage, excerptTypes, generateTable, mergeEntries, parseAliasMarkdown, PROVIDERS, readSupplement, renderCoverage, renderTable, SUPPLEMENT_FOLDER, TABLE_FILE, TABLE_VERSION, typeEntries, type BuiltinDefinitions,
} from '../../../scripts/gen-policy-aliases';
import type { AliasTableFile } from '../../../tasks/ArmTemplateSecurityGate/core/policy/aliases';
import { repoRoot } from '../paths';

describe('policy alias table', () => {
  it('is what scripts/gen-policy-aliases.ts makes of the committed provider excerpts (run it after changing them)', () => {
    const wanted = controls.flatMap((c) => c.meta.resourceTypes);
    const { table } = generateTable(path.join(repoRoot(), PROVIDERS), wanted);
    assert.equal(fs.readFileSync(path.join(repoRoot(), TABLE_FILE), 'utf8'), renderTable(table));
    assert.equal(table.source.repository, 'Azure/PSRule.Rules.Azure');
    // Every namespace excerpted from PSRule names the commit it was copied from.
    const namespaces = fs.readdirSync(path.join(repoRoot(), PROVIDERS), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.ok(namespaces.length >= 11, namespaces.join(', '));
    for (const ns of namespaces) assert.match(table.source.commits[ns] ?? '', /^[0-9a-f]{40}$/, ns);
    assert.equal(table.version, TABLE_VERSION);
    assert.deepEqual(table.source.partialTypes, [
      'Microsoft.ApiManagement/service',
      'Microsoft.AppPlatform/Spring',
      'Microsoft.Batch/batchAccounts/pools', 'Microsoft.Compute/diskEncryptionSets', 'Microsoft.Compute/disks',
      'Microsoft.Compute/galleries/images/versions', 'Microsoft.Compute/virtualMachineScaleSets', 'Microsoft.Compute/virtualMachines',
      'Microsoft.ContainerInstance/containerGroups', 'Microsoft.ContainerRegistry/registries', 'Microsoft.ContainerService/managedClusters',
      'Microsoft.ContainerService/managedClusters/agentPools', 'Microsoft.DBforMySQL/flexibleServers', 'Microsoft.DBforPostgreSQL/flexibleServers',
      'Microsoft.Databricks/workspaces', 'Microsoft.Devices/IotHubs', 'Microsoft.DocumentDB/databaseAccounts', 'Microsoft.EventGrid/domains', 'Microsoft.EventGrid/topics',
      'Microsoft.EventHub/namespaces', 'Microsoft.HDInsight/clusters', 'Microsoft.Logic/integrationServiceEnvironments', 'Microsoft.Logic/workflows', 'Microsoft.MachineLearningServices/workspaces',
      'Microsoft.MachineLearningServices/workspaces/computes', 'Microsoft.Network/applicationGateways', 'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/publicIPAddresses', 'Microsoft.Network/publicIPPrefixes', 'Microsoft.Network/virtualNetworks', 'Microsoft.Network/virtualNetworks/subnets',
      'Microsoft.RecoveryServices/vaults', 'Microsoft.Search/searchServices', 'Microsoft.ServiceBus/namespaces',
      'Microsoft.ServiceFabric/clusters',
      'Microsoft.Sql/servers/databases', 'Microsoft.Synapse/workspaces',
      'Microsoft.Web/hostingEnvironments', 'Microsoft.Web/serverfarms', 'Microsoft.Web/sites', 'Microsoft.Web/sites/slots',
    ]);
    // The Get-AzPolicyAlias excerpts are named with their repository, licence and the commit of each file.
    const supplement = table.source.supplement!;
    assert.deepEqual([supplement.repository, supplement.licence], ['jeircul/azure-policy-aliases', 'MIT']);
    for (const [file, commit] of Object.entries(supplement.commits)) {
      assert.match(file, /^aliases\/Microsoft\.\w+\/[\w-]+\.md$/, file);
      assert.match(commit, /^[0-9a-f]{40}$/, file);
      assert.ok(fs.existsSync(path.join(repoRoot(), PROVIDERS, '..', SUPPLEMENT_FOLDER, file)), file);
    }
    // Child types the built-in definitions read are in the table though the catalogue does not list them.
    for (const t of ['Microsoft.Sql/servers/auditingSettings', 'Microsoft.Sql/servers/encryptionProtector']) {
      assert.ok(table.types[t], t);
      assert.ok(!wanted.includes(t), `${t} is in the catalogue now: this check no longer shows anything`);
    }
    assert.ok(!table.source.note.includes('Microsoft.Sql/servers,'), 'the catalogue types the table holds are not listed as missing');
  });

  it('names the types of an excerpt with the namespace as its aliases spell it', () => {
    assert.deepEqual(
      excerptTypes('microsoft.sql', [
        { resourceType: 'servers/auditingSettings', aliases: { 'Microsoft.Sql/auditingSettings.state': 'properties.state', 'Microsoft.Sql/servers/auditingSettings/state': 'properties.state' } },
        { resourceType: 'operations', aliases: null },
      ]),
      ['Microsoft.Sql/servers/auditingSettings'],
    );
  });

  it('resolves the SQL, AKS and Compute aliases of the built-in definitions, array aliases and paths that are not properties.<suffix> included', () => {
    const at = (alias: string, type: string) => resolveAlias(alias)?.paths.get(type.toLowerCase());
    assert.equal(at('Microsoft.Sql/servers/minimalTlsVersion', 'Microsoft.Sql/servers'), 'properties.minimalTlsVersion');
    assert.equal(at('Microsoft.Sql/servers/keyid', 'Microsoft.Sql/servers'), 'properties.keyId', 'the built-in definition spells it keyid');
    assert.equal(at('Microsoft.Sql/servers/privateEndpointConnections[*].privateLinkServiceConnectionState.status', 'Microsoft.Sql/servers'), 'properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status');
    assert.equal(at('Microsoft.Sql/servers/databases/storageAccountType', 'Microsoft.Sql/servers/databases'), 'properties.requestedBackupStorageRedundancy');
    assert.equal(at('Microsoft.Sql/servers/databases/edition', 'Microsoft.Sql/servers/databases'), 'sku.tier');
    assert.equal(at('Microsoft.Sql/transparentDataEncryption.status', 'Microsoft.Sql/servers/databases/transparentDataEncryption'), 'properties.status', 'an alias outside its type, kept whole');
    assert.equal(at('Microsoft.Sql/servers/encryptionProtector/serverKeyType', 'Microsoft.Sql/servers/encryptionProtector'), 'properties.serverKeyType');
    const aks = 'Microsoft.ContainerService/managedClusters';
    assert.equal(at(`${aks}/agentPoolProfiles[*].enableEncryptionAtHost`, aks), 'properties.agentPoolProfiles[*].enableEncryptionAtHost');
    assert.equal(at(`${aks}/securityProfile.azureDefender.enabled`, aks), 'properties.securityProfile.defender.securityMonitoring.enabled');
    assert.equal(at(`${aks}/apiServerAuthorizedIPRanges[*]`, aks), 'properties.apiServerAccessProfile.authorizedIPRanges[*]');
    assert.equal(at(`${aks}/sku.tier`, aks), 'sku.tier');
    const vm = 'Microsoft.Compute/virtualMachines';
    const vmss = 'Microsoft.Compute/virtualMachineScaleSets';
    assert.equal(at(`${vm}/sku.name`, vm), 'properties.hardwareProfile.vmSize', 'a VM size is its sku');
    assert.equal(at(`${vm}/osDisk.uri`, vm), 'properties.storageProfile.osDisk.vhd.uri');
    assert.equal(at(`${vm}/storageProfile.dataDisks[*].managedDisk.diskEncryptionSet.id`, vm), 'properties.storageProfile.dataDisks[*].managedDisk.diskEncryptionSet.id');
    assert.equal(at('Microsoft.Compute/VirtualMachineScaleSets/upgradePolicy.automaticOSUpgrade', vmss), 'properties.upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade');
    assert.equal(at(`${vmss}/virtualMachineProfile.networkProfile.networkInterfaceConfigurations[*].enableIPForwarding`, vmss), 'properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[*].properties.enableIPForwarding');
    const imageSku = resolveAlias('Microsoft.Compute/imageSku')?.paths;
    assert.deepEqual([imageSku?.get(vm.toLowerCase()), imageSku?.get(vmss.toLowerCase())], ['properties.storageProfile.imageReference.sku', 'properties.virtualMachineProfile.storageProfile.imageReference.sku'], 'one alias, a path per type');
    assert.equal(at('Microsoft.Compute/disks/encryptionSettings.enabled', 'Microsoft.Compute/disks'), 'properties.encryptionSettingsCollection.enabled');
    // Newer than the PSRule data: from the Get-AzPolicyAlias excerpts.
    assert.equal(at('Microsoft.Sql/servers/createMode', 'Microsoft.Sql/servers'), 'properties.createMode');
    assert.equal(at('Microsoft.Sql/servers/azureADOnlyAuthentications/azureADOnlyAuthentication', 'Microsoft.Sql/servers/azureADOnlyAuthentications'), 'properties.azureADOnlyAuthentication');
    assert.equal(at(`${aks}/securityProfile.imageCleaner.enabled`, aks), 'properties.securityProfile.imageCleaner.enabled');
    assert.equal(at('Microsoft.Cache/Redis/disableAccessKeyAuthentication', 'Microsoft.Cache/Redis'), 'properties.disableAccessKeyAuthentication');
  });

  it('resolves the Network aliases of the built-in definitions, on the child types and as [*] aliases of the parent', () => {
    const at = (alias: string, type: string) => resolveAlias(alias)?.paths.get(type.toLowerCase());
    const rules = 'Microsoft.Network/networkSecurityGroups/securityRules';
    assert.equal(at(`${rules}/destinationPortRange`, rules), 'properties.destinationPortRange');
    assert.equal(at(`${rules}/sourceAddressPrefixes[*]`, rules), 'properties.sourceAddressPrefixes[*]');
    const nsg = 'Microsoft.Network/networkSecurityGroups';
    assert.equal(at(`${nsg}/securityRules[*].destinationPortRange`, nsg), 'properties.securityRules[*].properties.destinationPortRange', 'an inline rule keeps its properties');
    const subnets = 'Microsoft.Network/virtualNetworks/subnets';
    assert.equal(at(`${subnets}/networkSecurityGroup.id`, subnets), 'properties.networkSecurityGroup.id');
    assert.equal(at('microsoft.network/VIRTUALNETWORKS/subnets/defaultOutboundAccess', subnets), 'properties.defaultOutboundAccess', 'ARM spells this one Microsoft.Network/virtualnetworks/...');
    const vnet = 'Microsoft.Network/virtualNetworks';
    assert.equal(at(`${vnet}/subnets[*].defaultOutboundAccess`, vnet), 'properties.subnets[*].properties.defaultOutboundAccess');
    assert.equal(at('Microsoft.Network/publicIPPrefixes/ipTags[*].ipTagType', 'Microsoft.Network/publicIPPrefixes'), 'properties.ipTags[*].ipTagType');
    assert.equal(at('Microsoft.Network/applicationGateways/sku.tier', 'Microsoft.Network/applicationGateways'), 'properties.sku.tier', "an application gateway's sku lives under properties");
    assert.equal(at('Microsoft.Network/publicIPAddresses/sku.name', 'Microsoft.Network/publicIPAddresses'), 'sku.name');
    assert.equal(at(`${vnet}/enableDdosProtection`, vnet), 'properties.enableDdosProtection');
    assert.equal(at('Microsoft.Network/publicIPAddresses/ipTags[*].ipTagType', 'Microsoft.Network/publicIPAddresses'), 'properties.ipTags[*].ipTagType');
    const agw = 'Microsoft.Network/applicationGateways';
    assert.equal(at(`${agw}/firewallPolicy`, agw), 'properties.firewallPolicy', 'a row of the Get-AzPolicyAlias file, once a gap');
    assert.equal(at(`${agw}/firewallPolicy.id`, agw), 'properties.firewallPolicy.id');
  });

  it('reads a Get-AzPolicyAlias excerpt strictly, naming the file and line of a malformed one', () => {
    const good = '# Microsoft.Network/virtualNetworks/subnets\n\n| Default Path | Alias |\n|---|---|\n| `properties.addressPrefix` | `Microsoft.Network/virtualNetworks/subnets/addressPrefix` |\n';
    assert.deepEqual(parseAliasMarkdown(good, 'x.md'), { type: 'Microsoft.Network/virtualNetworks/subnets', aliases: { 'Microsoft.Network/virtualNetworks/subnets/addressPrefix': 'properties.addressPrefix' } });
    assert.throws(() => parseAliasMarkdown(good.replace('# ', '## '), 'x.md'), /^Error: x\.md:1: expected "# <resource type>"/);
    assert.throws(() => parseAliasMarkdown(`${good}| properties.x | Microsoft.Network/virtualNetworks/subnets/x |\n`, 'x.md'), /^Error: x\.md:6: expected a row/);
    assert.throws(() => parseAliasMarkdown(`${good}| \`properties.x\` | \`Microsoft.Web/sites/x\` |\n`, 'x.md'), /^Error: x\.md:6: alias Microsoft\.Web\/sites\/x is not of the namespace/);
    const { sources, types } = readSupplement(path.join(repoRoot(), PROVIDERS, '..', SUPPLEMENT_FOLDER));
    assert.equal(types.size, Object.keys(sources!.files).length);
    assert.equal(types.get('microsoft.network/networksecuritygroups/securityrules')?.partial, false);
  });

  it('adds what PSRule lacks from the Get-AzPolicyAlias excerpts, and refuses two different paths for one alias', () => {
    assert.deepEqual(mergeEntries('T/x', { a: '', b: 'sku.b' }, { A: '', c: '' }), { a: '', b: 'sku.b', c: '' });
    assert.throws(() => mergeEntries('T/x', { b: 'sku.b' }, { b: '' }), /T\/x: alias b is sku\.b in the PSRule excerpt but properties\.b in the Get-AzPolicyAlias excerpt/);
    assert.equal(mergeEntries('T/x', undefined, undefined), undefined);
  });

  it('resolves the App Service aliases of the built-in definitions, sku aliases to the resource sku', () => {
    const site = (a: string) => resolveAlias(a)?.paths.get('microsoft.web/sites');
    assert.equal(site('Microsoft.Web/sites/httpsOnly'), 'properties.httpsOnly');
    assert.equal(site('Microsoft.Web/sites/siteConfig.minTlsVersion'), 'properties.siteConfig.minTlsVersion');
    assert.equal(site('Microsoft.Web/sites/basicPublishingCredentialsPolicies.ftp.allow'), 'properties.ftp.properties.allow', 'a path that is not properties.<suffix>');
    assert.equal(resolveAlias('Microsoft.Web/sites/slots/httpsOnly')?.paths.get('microsoft.web/sites/slots'), 'properties.httpsOnly');
    assert.equal(resolveAlias('Microsoft.Web/serverFarms/sku.tier')?.paths.get('microsoft.web/serverfarms'), 'sku.tier');
    assert.equal(resolveAlias('microsoft.web/SERVERFARMS/sku.name')?.paths.get('microsoft.web/serverfarms'), 'sku.name');
    assert.equal(site('Microsoft.Web/sites/outboundVnetRouting.allTraffic'), 'properties.outboundVnetRouting.allTraffic', 'newer than the PSRule data: from the Get-AzPolicyAlias excerpt');
    assert.equal(resolveAlias('Microsoft.Web/hostingEnvironments/internalLoadBalancingMode')?.paths.get('microsoft.web/hostingenvironments'), 'properties.internalLoadBalancingMode');
  });

  it('resolves aliases without regard to case, array aliases included', () => {
    assert.equal(resolveAlias('microsoft.storage/storageaccounts/networkAcls.ipRules[*].value')?.paths.get('microsoft.storage/storageaccounts'), 'properties.networkAcls.ipRules[*].value');
    assert.equal(resolveAlias('Microsoft.Storage/storageAccounts/enableBlobEncryption')?.paths.get('microsoft.storage/storageaccounts'), 'properties.encryption.services.blob.enabled');
    assert.equal(resolveAlias('Microsoft.Storage/storageAccounts/sku.name')?.paths.get('microsoft.storage/storageaccounts'), 'sku.name');
    assert.equal(resolveAlias('Microsoft.KeyVault/vaults/enablePurgeProtection')?.paths.get('microsoft.keyvault/vaults'), 'properties.enablePurgeProtection');
    assert.equal(resolveAlias('Microsoft.KeyVault/vaults/sku.name')?.paths.get('microsoft.keyvault/vaults'), 'properties.sku.name', 'a Key Vault sku lives under properties');
    assert.equal(resolveAlias('Microsoft.Storage/storageAccounts/noSuchAlias'), undefined);
    assert.ok(tableCoversType('microsoft.keyvault/VAULTS'));
    assert.ok(aliasTableSize().aliases >= 1000, 'storage, key vault, web, SQL, AKS, compute, registry, Redis, Cosmos DB, Event Hub, Service Bus, network');
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

describe('policy alias table: coverage of the built-in definitions collected for the catalogue', () => {
  const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot(), file), 'utf8')) as T;
  const table = read<AliasTableFile>(TABLE_FILE);
  const builtins = read<BuiltinDefinitions>(BUILTINS);
  const coverage = builtinCoverage(table, builtins);

  before(() => console.log(`    alias table ${table.version}, built-in definitions of ${builtins.source.repository}:\n${renderCoverage(coverage).replace(/^/gm, '      ')}`));

  it('holds every alias the collected definitions read, except the gaps listed with their reason', () => {
    const missing = coverage.definitions.flatMap((d) => d.missing.filter((a) => !(a in builtins.gaps)).map((a) => `${a} (${d.file})`));
    assert.deepEqual(missing, [], 'aliases the table lacks: add them to the provider excerpts, or list them under gaps with the reason');
  });

  it('lists no gap the table now holds, and none no collected definition reads', () => {
    const lacking = new Set(coverage.definitions.flatMap((d) => d.missing).map((a) => a.toLowerCase()));
    const read = new Set(builtins.definitions.flatMap((d) => d.aliases).map((a) => a.toLowerCase()));
    for (const [alias, reason] of Object.entries(builtins.gaps)) {
      assert.ok(read.has(alias.toLowerCase()), `gap ${alias} is read by no collected definition`);
      assert.ok(lacking.has(alias.toLowerCase()), `gap ${alias} is in the table now: remove it from gaps`);
      assert.ok(reason.length > 20, `gap ${alias} says why`);
    }
  });

  it('records each definition with its source file, commit and effects, once', () => {
    assert.ok(builtins.definitions.length >= 20);
    assert.equal(new Set(builtins.definitions.map((d) => d.name)).size, builtins.definitions.length);
    for (const d of builtins.definitions) {
      assert.match(d.name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, d.file);
      assert.match(d.commit, /^[0-9a-f]{40}$/, d.file);
      assert.match(d.file, /^[A-Za-z ]+\/[\w.-]+\.json$/, d.file);
      assert.ok(d.effects.some((e) => e === 'Audit' || e === 'Deny'), `${d.file}: only definitions the gate judges are collected`);
      for (const a of d.aliases) assert.match(a, /^Microsoft\.\w+\/[^/]+(\/[^/]+)*\/[^/]+$/, `${d.file}: ${a}`);
    }
  });

  it('counts per resource type, the missing aliases under their type', () => {
    const web = coverage.types.find((t) => t.type === 'Microsoft.Web/sites')!;
    assert.ok(web.inTable > 0 && web.partial && web.used > web.missing.length);
    assert.ok(web.missing.every((a) => aliasType(a) === 'Microsoft.Web/sites'));
    const storage = coverage.types.find((t) => t.type === 'Microsoft.Storage/storageAccounts')!;
    assert.deepEqual([storage.partial, storage.missing], [false, []]);
    const sql = coverage.types.find((t) => t.type === 'Microsoft.Sql/servers')!;
    assert.deepEqual([sql.partial, sql.missing], [false, []]);
    assert.ok(sql.used >= 8);
    const aks = coverage.types.find((t) => t.type === 'Microsoft.ContainerService/managedClusters')!;
    assert.deepEqual([aks.partial, aks.missing], [true, []]);
    const agw = coverage.types.find((t) => t.type === 'Microsoft.Network/applicationGateways')!;
    assert.deepEqual([agw.partial, agw.missing], [true, []], 'firewallPolicy(.id), the last gaps, are in the excerpt now');
    const synthetic = builtinCoverage(table, { ...builtins, definitions: [{ name: 'x', file: 'X/x.json', commit: 'c', effects: ['Deny'], aliases: ['Microsoft.Web/sites/noSuchAlias', 'Microsoft.Web/sites/httpsOnly'] }] });
    assert.deepEqual(synthetic.definitions[0].missing, ['Microsoft.Web/sites/noSuchAlias'], 'a missing alias is found, so the test above can fail');
  });
});
