/**
 * Built-in Azure Policy definitions of the resource types the alias table now covers, run through
 * evaluate() with the real engine: each reads its aliases through the table — including aliases whose
 * path is not properties.<suffix> (a VM's sku.name is its hardwareProfile.vmSize) — fails the resource
 * that violates it and passes the one that complies (an alias the table lacks would make it unknown,
 * naming the alias: see conditions.test.ts). The policy rules are
 * those of the built-in definitions named (github.com/Azure/azure-policy, MIT licence, © Microsoft
 * Corporation), kept to name, displayName, parameters and policyRule.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../tasks/common/log/logger';
import { controls } from '../../../tasks/ArmTemplateSecurityGate/core/controls';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import type { ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';

const effect = { type: 'String', defaultValue: 'Audit', allowedValues: ['Audit', 'Deny', 'Disabled'] };

/** SQL/SqlServer_MiniumTLSVersion_Audit.json: "Azure SQL Database should be running TLS version 1.2 or newer". */
const SQL_TLS = {
  name: '32e6bbec-16b6-44c2-be37-c5b672d103cf',
  properties: {
    displayName: 'Azure SQL Database should be running TLS version 1.2 or newer',
    mode: 'Indexed',
    parameters: { effect },
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Sql/servers' },
        { anyOf: [
          { field: 'Microsoft.Sql/servers/minimalTlsVersion', exists: false },
          { field: 'Microsoft.Sql/servers/minimalTlsVersion', less: '1.2' },
        ] },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

/** Compute/VMSkusAllowed_Deny.json: "Allowed virtual machine size SKUs". */
const VM_SKUS = {
  name: 'cccc23c7-8427-4f53-ad12-b6a63eb452b3',
  properties: {
    displayName: 'Allowed virtual machine size SKUs',
    mode: 'Indexed',
    parameters: { listOfAllowedSKUs: { type: 'Array', metadata: { displayName: 'Allowed Size SKUs' } } },
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Compute/virtualMachines' },
        { not: { field: 'Microsoft.Compute/virtualMachines/sku.name', in: "[parameters('listOfAllowedSKUs')]" } },
      ] },
      then: { effect: 'Deny' },
    },
  },
};

/** Cache/RedisCache_AuditSSLPort_Audit.json: "Only secure connections to your Azure Cache for Redis should be enabled". */
const REDIS_SSL = {
  name: '22bee202-a82f-4305-9a2a-6d7f44d4dedb',
  properties: {
    displayName: 'Only secure connections to your Azure Cache for Redis should be enabled',
    mode: 'Indexed',
    parameters: { effect },
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Cache/redis' },
        { field: 'Microsoft.Cache/Redis/enableNonSslPort', equals: 'true' },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

/** Cache/RedisCache_DisableAccessKeysAuth_Audit.json: reads Microsoft.Cache/Redis/disableAccessKeyAuthentication, newer than the PSRule data (from the Get-AzPolicyAlias excerpt). */
const REDIS_KEYS = {
  name: '3827af20-8f80-4b15-8300-6db0873ec901',
  properties: {
    displayName: 'Azure Cache for Redis should not use access keys for authentication',
    mode: 'Indexed',
    parameters: { effect },
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Cache/Redis' },
        { field: 'Microsoft.Cache/Redis/disableAccessKeyAuthentication', equals: 'false' },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

/** Network/NetworkSecurityGroupOnGatewaySubnet_Deny.json: "Gateway subnets should not be configured with a network security group". */
const GATEWAY_SUBNET_NSG = {
  name: '35f9c03a-cc27-418e-9c0c-539ff999d010',
  properties: {
    displayName: 'Gateway subnets should not be configured with a network security group',
    mode: 'All',
    parameters: {},
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Network/virtualNetworks/subnets' },
        { field: 'name', equals: 'GatewaySubnet' },
        { field: 'Microsoft.Network/virtualNetworks/subnets/networkSecurityGroup.id', exists: 'true' },
      ] },
      then: { effect: 'deny' },
    },
  },
};

/** Network/PrivateSubnetOnly_Audit.json: "Subnets should be private" (a subnets[*] array alias on the network, the child alias on a subnet). */
const PRIVATE_SUBNETS = {
  name: '7bca8353-aa3b-429b-904a-9229c4385837',
  properties: {
    displayName: 'Subnets should be private',
    mode: 'All',
    parameters: { effect },
    policyRule: {
      if: { anyOf: [
        { allOf: [
          { field: 'type', equals: 'Microsoft.Network/virtualNetworks' },
          { count: { field: 'Microsoft.Network/virtualNetworks/subnets[*]' }, greater: 0 },
          { field: 'Microsoft.Network/virtualNetworks/subnets[*].defaultOutboundAccess', notEquals: 'false' },
        ] },
        { allOf: [
          { field: 'type', equals: 'Microsoft.Network/virtualNetworks/subnets' },
          { field: 'Microsoft.Network/virtualNetworks/subnets/defaultOutboundAccess', notEquals: 'false' },
        ] },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

/** Network/PublicIPWithFPUOnly_Audit.json: "Public IPs and Public IP prefixes should have FirstPartyUsage tag" (count over ipTags[*] with where). */
const FPU_TAG = {
  name: 'fe8a9af4-a003-4c7d-b7a4-b9808310c4f8',
  properties: {
    displayName: 'Public IPs and Public IP prefixes should have FirstPartyUsage tag',
    mode: 'Indexed',
    parameters: { effect },
    policyRule: {
      if: { anyOf: [
        { allOf: [
          { field: 'type', equals: 'Microsoft.Network/publicIPAddresses' },
          { count: { field: 'Microsoft.Network/publicIPAddresses/ipTags[*]', where: { field: 'Microsoft.Network/publicIPAddresses/ipTags[*].ipTagType', equals: 'FirstPartyUsage' } }, less: 1 },
        ] },
        { allOf: [
          { field: 'type', equals: 'Microsoft.Network/publicIPPrefixes' },
          { count: { field: 'Microsoft.Network/publicIPPrefixes/ipTags[*]', where: { field: 'Microsoft.Network/publicIPPrefixes/ipTags[*].ipTagType', equals: 'FirstPartyUsage' } }, less: 1 },
        ] },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

/** Network/WAF_AppGatewayEnabled_Audit.json: reads Microsoft.Network/applicationGateways/firewallPolicy (a gap until table 2026-12.5). */
const APPGW_WAF = {
  name: '564feb30-bf6a-4854-b4bb-0d2d2d1e6c66',
  properties: {
    displayName: 'Web Application Firewall (WAF) should be enabled for Application Gateway',
    mode: 'Indexed',
    parameters: { effect },
    policyRule: {
      if: { allOf: [
        { field: 'type', equals: 'Microsoft.Network/applicationGateways' },
        { field: 'Microsoft.Network/applicationGateways/webApplicationFirewallConfiguration', exists: 'false' },
        { field: 'Microsoft.Network/applicationGateways/firewallPolicy', exists: 'false' },
      ] },
      then: { effect: "[parameters('effect')]" },
    },
  },
};

const TEMPLATE = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: [
    { type: 'Microsoft.Sql/servers', apiVersion: '2023-05-01-preview', name: 'sql-old-tls', location: 'westeurope', properties: { administratorLogin: 'sqladmin', minimalTlsVersion: '1.0' } },
    { type: 'Microsoft.Sql/servers', apiVersion: '2023-05-01-preview', name: 'sql-no-tls', location: 'westeurope', properties: { administratorLogin: 'sqladmin' } },
    { type: 'Microsoft.Sql/servers', apiVersion: '2023-05-01-preview', name: 'sql-tls12', location: 'westeurope', properties: { administratorLogin: 'sqladmin', minimalTlsVersion: '1.2' } },
    { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-03-01', name: 'vm-small', location: 'westeurope', properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' } } },
    { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-03-01', name: 'vm-huge', location: 'westeurope', properties: { hardwareProfile: { vmSize: 'Standard_M416ms_v2' } } },
    { type: 'Microsoft.Cache/redis', apiVersion: '2023-08-01', name: 'redis-plain', location: 'westeurope', properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, enableNonSslPort: true } },
    { type: 'Microsoft.Cache/redis', apiVersion: '2023-08-01', name: 'redis-tls', location: 'westeurope', properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, enableNonSslPort: false } },
    { type: 'Microsoft.Cache/redis', apiVersion: '2024-03-01', name: 'redis-keys', location: 'westeurope', properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, disableAccessKeyAuthentication: false } },
    { type: 'Microsoft.Cache/redis', apiVersion: '2024-03-01', name: 'redis-entra', location: 'westeurope', properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, disableAccessKeyAuthentication: true } },
    { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-01-01', name: 'vnet-open', location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [
      { name: 'web', properties: { addressPrefix: '10.0.1.0/24', defaultOutboundAccess: true } },
      { name: 'data', properties: { addressPrefix: '10.0.2.0/24' } },
    ] } },
    { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-01-01', name: 'vnet-mixed', location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.2.0.0/16'] }, subnets: [
      { name: 'app', properties: { addressPrefix: '10.2.1.0/24', defaultOutboundAccess: false } },
      { name: 'data', properties: { addressPrefix: '10.2.2.0/24' } },
    ] } },
    { type: 'Microsoft.Network/virtualNetworks', apiVersion: '2024-01-01', name: 'vnet-private', location: 'westeurope', properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [
      { name: 'app', properties: { addressPrefix: '10.1.1.0/24', defaultOutboundAccess: false } },
    ] } },
    { type: 'Microsoft.Network/virtualNetworks/subnets', apiVersion: '2024-01-01', name: 'vnet-private/GatewaySubnet', properties: { addressPrefix: '10.1.255.0/27', defaultOutboundAccess: false, networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-gw')]" } } },
    { type: 'Microsoft.Network/virtualNetworks/subnets', apiVersion: '2024-01-01', name: 'vnet-private/workload', properties: { addressPrefix: '10.1.2.0/24', defaultOutboundAccess: false, networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-gw')]" } } },
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-01-01', name: 'pip-plain', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-01-01', name: 'pip-fpu', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static', ipTags: [{ ipTagType: 'RoutingPreference', tag: 'Internet' }, { ipTagType: 'FirstPartyUsage', tag: '/NonProd' }] } },
    { type: 'Microsoft.Network/publicIPPrefixes', apiVersion: '2024-01-01', name: 'ippre-other-tag', location: 'westeurope', sku: { name: 'Standard' }, properties: { prefixLength: 30, ipTags: [{ ipTagType: 'RoutingPreference', tag: 'Internet' }] } },
    { type: 'Microsoft.Network/applicationGateways', apiVersion: '2024-01-01', name: 'agw-v1-waf', location: 'westeurope', properties: { sku: { name: 'WAF_Medium', tier: 'WAF', capacity: 2 }, webApplicationFirewallConfiguration: { enabled: true, firewallMode: 'Prevention', ruleSetType: 'OWASP', ruleSetVersion: '3.0' } } },
    { type: 'Microsoft.Network/applicationGateways', apiVersion: '2024-01-01', name: 'agw-plain', location: 'westeurope', properties: { sku: { name: 'Standard_v2', tier: 'Standard_v2', capacity: 2 } } },
    { type: 'Microsoft.Network/applicationGateways', apiVersion: '2024-01-01', name: 'agw-v2-policy', location: 'westeurope', properties: { sku: { name: 'WAF_v2', tier: 'WAF_v2', capacity: 2 }, firewallPolicy: { id: "[resourceId('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'wafp-agw')]" } } },
  ],
};

const BUILT_IN = controls.map((c) => c.meta.id);

/**
 * Scans `template` (as infra/main.json) with the built-in controls skipped and the given policy
 * definitions, each in policies/<name>.json with its parameter values beside it, in a folder of its
 * own that is removed afterwards.
 */
function scanWithPolicies(template: object, policies: Record<string, { definition: object; parameters?: object }>): ScanResult {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-builtins-'));
  try {
    const put = (rel: string, content: object) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), JSON.stringify(content, null, 2));
    };
    put('infra/main.json', template);
    for (const [name, { definition, parameters }] of Object.entries(policies)) {
      put(`policies/${name}.json`, definition);
      if (parameters) put(`policies/${name}.parameters.json`, parameters);
    }
    return evaluate({ paths: ['infra'], root, skipControls: BUILT_IN, policyPaths: ['policies'] }, nodeGateDeps(silentLogger));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('built-in policy definitions of the newly covered types (SQL, Compute, Redis, Network), through the alias table', () => {
  let result: ScanResult;
  /** Outcomes of a definition on the resources of the types it is about (mode All / Indexed: every other resource passes). */
  const of = (id: string, ...types: string[]) =>
    result.findings.filter((f) => f.ruleId === id && (!types.length || types.includes(f.resource.type))).map((f) => [f.resource.name, f.outcome]);

  before(() => {
    result = scanWithPolicies(TEMPLATE, {
      'sql-tls': { definition: SQL_TLS, parameters: { effect: { value: 'Deny' } } },
      'vm-skus': { definition: VM_SKUS, parameters: { listOfAllowedSKUs: { value: ['Standard_D2s_v5', 'Standard_D4s_v5'] } } },
      'redis-ssl': { definition: REDIS_SSL, parameters: { effect: { value: 'Deny' } } },
      'redis-keys': { definition: REDIS_KEYS },
      'gateway-subnet-nsg': { definition: GATEWAY_SUBNET_NSG },
      'private-subnets': { definition: PRIVATE_SUBNETS, parameters: { effect: { value: 'Deny' } } },
      'appgw-waf': { definition: APPGW_WAF },
      'fpu-tag': { definition: FPU_TAG, parameters: { effect: { value: 'Deny' } } },
    });
  });

  it('SQL minimum TLS (Deny): an old or missing minimalTlsVersion fails and blocks, 1.2 passes', () => {
    assert.deepEqual(of(SQL_TLS.name), [['sql-old-tls', 'fail'], ['sql-no-tls', 'fail'], ['sql-tls12', 'pass']]);
    assert.ok(result.findings.filter((f) => f.ruleId === SQL_TLS.name && f.outcome === 'fail').every((f) => f.blocking));
  });

  it('allowed VM sizes: sku.name is read from hardwareProfile.vmSize, as its alias says', () => {
    assert.deepEqual(of(VM_SKUS.name), [['vm-small', 'pass'], ['vm-huge', 'fail']]);
  });

  it('Redis non-TLS port (Deny): enableNonSslPort true fails, false passes', () => {
    assert.deepEqual(of(REDIS_SSL.name), [['redis-plain', 'fail'], ['redis-tls', 'pass'], ['redis-keys', 'pass'], ['redis-entra', 'pass']]);
  });

  it('Redis access keys: disableAccessKeyAuthentication, an alias newer than the PSRule data, is read through the Get-AzPolicyAlias excerpt', () => {
    assert.deepEqual(of(REDIS_KEYS.name), [['redis-plain', 'pass'], ['redis-tls', 'pass'], ['redis-keys', 'fail'], ['redis-entra', 'pass']], 'not set: not "false", as in Azure');
  });

  it('gateway subnet with an NSG (deny): the subnet named GatewaySubnet with networkSecurityGroup.id fails and blocks, another subnet passes', () => {
    assert.deepEqual(of(GATEWAY_SUBNET_NSG.name, 'Microsoft.Network/virtualNetworks/subnets'), [['vnet-private/GatewaySubnet', 'fail'], ['vnet-private/workload', 'pass']]);
    assert.ok(result.findings.some((f) => f.ruleId === GATEWAY_SUBNET_NSG.name && f.outcome === 'fail' && f.blocking));
  });

  it('private subnets (Deny): through the subnets[*] alias a network fails when no subnet sets defaultOutboundAccess false (a [*] condition outside count holds when every member meets it, as in Azure); private networks and subnets pass', () => {
    assert.deepEqual(of(PRIVATE_SUBNETS.name, 'Microsoft.Network/virtualNetworks', 'Microsoft.Network/virtualNetworks/subnets'), [['vnet-open', 'fail'], ['vnet-mixed', 'pass'], ['vnet-private', 'pass'], ['vnet-private/GatewaySubnet', 'pass'], ['vnet-private/workload', 'pass']]);
  });

  it('FirstPartyUsage tag (Deny): counts the ipTags[*] of public IPs and prefixes with where; none, or only another tag type, fails', () => {
    assert.deepEqual(of(FPU_TAG.name, 'Microsoft.Network/publicIPAddresses', 'Microsoft.Network/publicIPPrefixes'), [['pip-plain', 'fail'], ['pip-fpu', 'pass'], ['ippre-other-tag', 'fail']]);
  });

  it('WAF on application gateways: firewallPolicy, read through its Get-AzPolicyAlias row, decides: a gateway with neither WAF configuration nor policy fails, either one passes', () => {
    assert.deepEqual(of(APPGW_WAF.name, 'Microsoft.Network/applicationGateways'), [['agw-v1-waf', 'pass'], ['agw-plain', 'fail'], ['agw-v2-policy', 'pass']]);
    assert.ok(!result.findings.some((f) => f.ruleId === APPGW_WAF.name && f.outcome === 'unknown'), 'no longer unknown: the alias is in the table');
  });

  it('Key Vault firewall (Deny): networkAcls.defaultAction Allow or unset fails and blocks, Deny passes, a vault recovered (createMode recover, an alias PSRule spells Microsoft.Keyvault) is left alone', () => {
    // Key Vault/AzureKeyVaultFirewallEnabled_Audit.json: "Azure Key Vault should have firewall enabled".
    // Self-contained (own directory, template and policy) so the blocks of other namespaces stay independent.
    const KV_FIREWALL = {
      name: '55615ac9-af46-4a59-874e-391cc3dfb490',
      properties: {
        displayName: 'Azure Key Vault should have firewall enabled',
        mode: 'Indexed',
        parameters: { effect },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.KeyVault/vaults' },
            { field: 'Microsoft.KeyVault/vaults/createMode', notEquals: 'recover' },
            { field: 'Microsoft.KeyVault/vaults/networkAcls.defaultAction', notEquals: 'Deny' },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const vault = (name: string, properties: object) => ({ type: 'Microsoft.KeyVault/vaults', apiVersion: '2023-07-01', name, location: 'westeurope', properties: { tenantId: '00000000-0000-0000-0000-000000000000', sku: { family: 'A', name: 'standard' }, ...properties } });
    const kv = scanWithPolicies({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        vault('kv-open', { networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' } }),
        vault('kv-no-acls', {}),
        vault('kv-closed', { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } }),
        vault('kv-recovered', { createMode: 'recover' }),
      ],
    }, {
      'kv-firewall': { definition: KV_FIREWALL, parameters: { effect: { value: 'Deny' } } },
    });
    const findings = kv.findings.filter((f) => f.ruleId === KV_FIREWALL.name);
    assert.deepEqual(findings.map((f) => [f.resource.name, f.outcome]), [['kv-open', 'fail'], ['kv-no-acls', 'fail'], ['kv-closed', 'pass'], ['kv-recovered', 'pass']]);
    assert.ok(findings.filter((f) => f.outcome === 'fail').every((f) => f.blocking), 'Deny blocks');
  });

  it('Synapse managed private endpoints to approved tenants (Deny): counts managedVirtualNetworkSettings.allowedAadTenantIdsForLinking[*] with where; a tenant outside the list fails and blocks, approved tenants or none pass', () => {
    // Synapse/Workspace_DataExfiltrationPrevention_Deny.json (3a003702-13d2-4679-941b-937e58c443f0), policy rule as in Azure/azure-policy.
    const SYNAPSE_TENANTS = {
      name: '3a003702-13d2-4679-941b-937e58c443f0',
      properties: {
        displayName: 'Synapse managed private endpoints should only connect to resources in approved Azure Active Directory tenants',
        mode: 'Indexed',
        parameters: {
          allowedTenantIds: { type: 'Array', defaultValue: [] },
          effect: { type: 'String', defaultValue: 'Audit', allowedValues: ['Audit', 'Disabled', 'Deny'] },
        },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.Synapse/workspaces' },
            { count: {
              field: 'Microsoft.Synapse/workspaces/managedVirtualNetworkSettings.allowedAadTenantIdsForLinking[*]',
              where: { field: 'Microsoft.Synapse/workspaces/managedVirtualNetworkSettings.allowedAadTenantIdsForLinking[*]', notIn: "[parameters('allowedTenantIds')]" },
            }, greater: 0 },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const approved = '11111111-1111-1111-1111-111111111111';
    const workspace = (name: string, settings?: object) => ({
      type: 'Microsoft.Synapse/workspaces', apiVersion: '2021-06-01', name, location: 'westeurope',
      properties: { defaultDataLakeStorage: { accountUrl: 'https://dl.dfs.core.windows.net', filesystem: 'fs' }, managedVirtualNetwork: 'default', ...(settings && { managedVirtualNetworkSettings: settings }) },
    });
    const scan = scanWithPolicies({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        workspace('syn-foreign', { preventDataExfiltration: true, allowedAadTenantIdsForLinking: [approved, '22222222-2222-2222-2222-222222222222'] }),
        workspace('syn-approved', { preventDataExfiltration: true, allowedAadTenantIdsForLinking: [approved] }),
        workspace('syn-none'),
      ],
    }, {
      'synapse-tenants': { definition: SYNAPSE_TENANTS, parameters: { allowedTenantIds: { value: [approved] }, effect: { value: 'Deny' } } },
    });
    const findings = scan.findings.filter((f) => f.ruleId === SYNAPSE_TENANTS.name);
    assert.deepEqual(findings.map((f) => [f.resource.name, f.outcome]), [['syn-foreign', 'fail'], ['syn-approved', 'pass'], ['syn-none', 'pass']]);
    assert.ok(findings.filter((f) => f.outcome === 'fail').every((f) => f.blocking), 'Deny blocks');
  });

  it('PostgreSQL flexible servers, public network access (Deny): public access without VNet integration fails and blocks; access disabled, or a delegated subnet with its private DNS zone, passes', () => {
    // PostgreSQL/PostgreSQL_FlexibleServers_DisablePublicNetworkAccess_Audit.json (5e1de0e3-42cb-4ebc-a86d-61d0c619ca48): its policyRule as published, read through the network.* aliases of the PSRule excerpt.
    const pgPublicAccess = {
      name: '5e1de0e3-42cb-4ebc-a86d-61d0c619ca48',
      properties: {
        displayName: 'Public network access should be disabled for PostgreSQL flexible servers',
        mode: 'Indexed',
        parameters: { effect },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.DBforPostgreSQL/flexibleServers' },
            { anyOf: [
              { field: 'Microsoft.DBforPostgreSQL/flexibleServers/network.delegatedSubnetResourceId', exists: 'true' },
              { field: 'Microsoft.DBforPostgreSQL/flexibleServers/network.privateDnsZoneArmResourceId', exists: 'true' },
              { allOf: [
                { field: 'Microsoft.DBforPostgreSQL/flexibleServers/network.publicNetworkAccess', exists: 'true' },
                { field: 'Microsoft.DBforPostgreSQL/flexibleServers/network.publicNetworkAccess', notEquals: 'Disabled' },
              ] },
            ] },
            { anyOf: [
              { field: 'Microsoft.DBforPostgreSQL/flexibleServers/network.delegatedSubnetResourceId', exists: 'false' },
              { field: 'Microsoft.DBforPostgreSQL/flexibleServers/network.privateDnsZoneArmResourceId', exists: 'false' },
            ] },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const subnet = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pg';
    const zone = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/pg.private.postgres.database.azure.com';
    const server = (name: string, network: object) => ({ type: 'Microsoft.DBforPostgreSQL/flexibleServers', apiVersion: '2024-08-01', name, location: 'westeurope', sku: { name: 'Standard_D2ds_v5', tier: 'GeneralPurpose' }, properties: { version: '16', network } });
    const scan = scanWithPolicies({ $schema: TEMPLATE.$schema, contentVersion: '1.0.0.0', resources: [
      server('pg-public', { publicNetworkAccess: 'Enabled' }),
      server('pg-disabled', { publicNetworkAccess: 'Disabled' }),
      server('pg-vnet', { delegatedSubnetResourceId: subnet, privateDnsZoneArmResourceId: zone }),
      server('pg-subnet-no-zone', { delegatedSubnetResourceId: subnet }),
    ] }, {
      'pg-public-access': { definition: pgPublicAccess, parameters: { effect: { value: 'Deny' } } },
    });
    const findings = scan.findings.filter((f) => f.ruleId === pgPublicAccess.name);
    assert.deepEqual(findings.map((f) => [f.resource.name, f.outcome]), [['pg-public', 'fail'], ['pg-disabled', 'pass'], ['pg-vnet', 'pass'], ['pg-subnet-no-zone', 'fail']]);
    assert.ok(findings.filter((f) => f.outcome === 'fail').every((f) => f.blocking), 'Deny blocks');
  });

  it('Log Analytics workspace public network access (Deny, Monitoring/LogAnalyticsWorkspaces_NetworkAccessEnabled_Deny.json): either of publicNetworkAccessForIngestion/ForQuery not disabled fails and blocks, both disabled passes', () => {
    // Self-contained: its own folder, template and definition (the rule as the built-in 6c53d030-… reads it).
    const LA_NETWORK = {
      name: '6c53d030-cc64-46f0-906d-2bc061cd1334',
      properties: {
        displayName: 'Log Analytics workspaces should block log ingestion and querying from public networks',
        mode: 'Indexed',
        parameters: { effect: { type: 'String', defaultValue: 'audit', allowedValues: ['audit', 'deny', 'disabled'] } },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.OperationalInsights/workspaces' },
            { anyOf: [
              { field: 'Microsoft.OperationalInsights/workspaces/publicNetworkAccessForIngestion', notEquals: 'disabled' },
              { field: 'Microsoft.OperationalInsights/workspaces/publicNetworkAccessForQuery', notEquals: 'disabled' },
            ] },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const ws = (name: string, properties: object) => ({ type: 'Microsoft.OperationalInsights/workspaces', apiVersion: '2023-09-01', name, location: 'westeurope', properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90, ...properties } });
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        ws('log-public', {}),
        ws('log-query-open', { publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Enabled' }),
        ws('log-private', { publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Disabled' }),
      ],
    };
    const scan = scanWithPolicies(template, {
      'la-network': { definition: LA_NETWORK, parameters: { effect: { value: 'deny' } } },
    });
    const mine = scan.findings.filter((f) => f.ruleId === LA_NETWORK.name);
    assert.deepEqual(mine.map((f) => [f.resource.name, f.outcome]), [['log-public', 'fail'], ['log-query-open', 'fail'], ['log-private', 'pass']]);
    assert.ok(mine.filter((f) => f.outcome === 'fail').every((f) => f.blocking), 'effect deny blocks');
  });
  it('Service Fabric cluster protection level (Deny, Service Fabric/ServiceFabric_AuditClusterProtectionLevel_Audit.json): a Security ClusterProtectionLevel other than EncryptAndSign fails and blocks, EncryptAndSign passes', () => {
    // Self-contained: its own folder, template and definition (the rule as the built-in 617c02be-… reads it).
    // Its [*] conditions hold only when every element differs, so one matching setting, parameter and value pass.
    const SF_PROTECTION = {
      name: '617c02be-7f02-4efd-8836-3180d47b6c68',
      properties: {
        displayName: 'Service Fabric clusters should have the ClusterProtectionLevel property set to EncryptAndSign',
        mode: 'Indexed',
        parameters: { effect: { type: 'string', defaultValue: 'Audit', allowedValues: ['Audit', 'Deny', 'Disabled'] } },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.ServiceFabric/clusters' },
            { anyOf: [
              { field: 'Microsoft.ServiceFabric/clusters/fabricSettings[*].name', notEquals: 'Security' },
              { field: 'Microsoft.ServiceFabric/clusters/fabricSettings[*].parameters[*].name', notEquals: 'ClusterProtectionLevel' },
              { field: 'Microsoft.ServiceFabric/clusters/fabricSettings[*].parameters[*].value', notEquals: 'EncryptAndSign' },
            ] },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const cluster = (name: string, level: string) => ({
      type: 'Microsoft.ServiceFabric/clusters',
      apiVersion: '2021-06-01',
      name,
      location: 'westeurope',
      properties: {
        managementEndpoint: `https://${name}.westeurope.cloudapp.azure.com:19080`,
        reliabilityLevel: 'Silver',
        upgradeMode: 'Automatic',
        nodeTypes: [{ name: 'primary', isPrimary: true, vmInstanceCount: 5, clientConnectionEndpointPort: 19000, httpGatewayEndpointPort: 19080 }],
        fabricSettings: [{ name: 'Security', parameters: [{ name: 'ClusterProtectionLevel', value: level }] }],
      },
    });
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [cluster('sf-sign', 'Sign'), cluster('sf-none', 'None'), cluster('sf-encrypted', 'EncryptAndSign')],
    };
    const scan = scanWithPolicies(template, {
      'sf-protection': { definition: SF_PROTECTION, parameters: { effect: { value: 'Deny' } } },
    });
    const mine = scan.findings.filter((f) => f.ruleId === SF_PROTECTION.name);
    assert.deepEqual(mine.map((f) => [f.resource.name, f.outcome]), [['sf-sign', 'fail'], ['sf-none', 'fail'], ['sf-encrypted', 'pass']]);
    assert.ok(mine.filter((f) => f.outcome === 'fail').every((f) => f.blocking), 'effect Deny blocks');
  });

  it('HDInsight cluster virtual network injection (Deny, HDInsight/VNETInjection_Audit.json): a role without virtualNetworkProfile.id or .subnet fails and blocks, every role injected passes', () => {
    // Self-contained: its own folder, template and definition (the rule as the built-in b0ab5b05-… reads it):
    // count over computeProfile.roles[*] reads the role's virtual network through the table.
    const HDI_VNET = {
      name: 'b0ab5b05-1c98-40f7-bb9e-dc568e41b501',
      properties: {
        displayName: 'Azure HDInsight clusters should be injected into a virtual network',
        mode: 'Indexed',
        parameters: { effect: { type: 'String', defaultValue: 'Audit', allowedValues: ['Audit', 'Disabled', 'Deny'] } },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.HDInsight/clusters' },
            { count: {
              field: 'Microsoft.HDInsight/clusters/computeProfile.roles[*]',
              where: { anyOf: [
                { field: 'Microsoft.HDInsight/clusters/computeProfile.roles[*].virtualNetworkProfile.id', exists: false },
                { field: 'Microsoft.HDInsight/clusters/computeProfile.roles[*].virtualNetworkProfile.subnet', exists: false },
              ] },
            }, greater: 0 },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const vnetId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet';
    const injected = { id: vnetId, subnet: `${vnetId}/subnets/hdi` };
    const role = (name: string, virtualNetworkProfile?: object) => ({ name, targetInstanceCount: 2, hardwareProfile: { vmSize: 'Standard_E8_V3' }, ...(virtualNetworkProfile ? { virtualNetworkProfile } : {}) });
    const cluster = (name: string, roles: object[]) => ({
      type: 'Microsoft.HDInsight/clusters', apiVersion: '2023-08-15-preview', name, location: 'westeurope',
      properties: { clusterVersion: '5.1', osType: 'Linux', clusterDefinition: { kind: 'spark' }, computeProfile: { roles } },
    });
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        cluster('hdi-no-vnet', [role('headnode'), role('workernode')]),
        cluster('hdi-worker-no-subnet', [role('headnode', injected), role('workernode', { id: vnetId })]),
        cluster('hdi-injected', [role('headnode', injected), role('workernode', injected)]),
      ],
    };
    const scan = scanWithPolicies(template, {
      'hdi-vnet': { definition: HDI_VNET, parameters: { effect: { value: 'Deny' } } },
    });
    const mine = scan.findings.filter((f) => f.ruleId === HDI_VNET.name);
    assert.deepEqual(mine.map((f) => [f.resource.name, f.outcome]), [['hdi-no-vnet', 'fail'], ['hdi-worker-no-subnet', 'fail'], ['hdi-injected', 'pass']]);
    assert.ok(mine.filter((f) => f.outcome === 'fail').every((f) => f.blocking), 'Deny blocks');
  });

  it('runs the Front Door Standard/Premium built-ins (CDN: Premium tier, custom domain minimum TLS) through the table, reading sku.name and tlsSettings.minimumTlsVersion', () => {
    // CDN/AFD_Premium_Sku_Audit.json and CDN/AFD_Standard_Premium_MinimumTls_Audit.json. PSRule spells the profile's
    // alias Microsoft.CDN/profiles/sku.name while the definition reads Microsoft.Cdn/Profiles/sku.name: aliases match
    // regardless of case, as in Azure Policy.
    const AFD_PREMIUM = {
      name: 'dfc212af-17ea-423a-9dcb-91e2cb2caa6b',
      properties: {
        displayName: 'Azure Front Door profiles should use Premium tier that supports managed WAF rules and private link',
        mode: 'Indexed',
        parameters: { effect },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.Cdn/Profiles' },
            { field: 'Microsoft.Cdn/Profiles/sku.name', equals: 'Standard_AzureFrontDoor' },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const AFD_TLS = {
      name: '679da822-78a7-4eff-8fff-a899454a9970',
      properties: {
        displayName: 'Azure Front Door Standard and Premium should be running minimum TLS version of 1.2',
        mode: 'All',
        parameters: { effect },
        policyRule: {
          if: { allOf: [
            { field: 'type', equals: 'Microsoft.Cdn/profiles/customDomains' },
            { field: 'Microsoft.Cdn/profiles/customDomains/tlsSettings.minimumTlsVersion', notEquals: 'TLS12' },
          ] },
          then: { effect: "[parameters('effect')]" },
        },
      },
    };
    const profile = (name: string, sku: string) => ({ type: 'Microsoft.Cdn/profiles', apiVersion: '2024-02-01', name, location: 'global', sku: { name: sku } });
    const domain = (name: string, minimumTlsVersion: string) => ({
      type: 'Microsoft.Cdn/profiles/customDomains',
      apiVersion: '2024-02-01',
      name,
      properties: { hostName: `${name.split('/')[1]}.contoso.com`, tlsSettings: { certificateType: 'ManagedCertificate', minimumTlsVersion } },
    });
    const template = {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        profile('afd-standard', 'Standard_AzureFrontDoor'),
        profile('afd-premium', 'Premium_AzureFrontDoor'),
        domain('afd-premium/legacy', 'TLS10'),
        domain('afd-premium/www', 'TLS12'),
      ],
    };
    const scan = scanWithPolicies(template, {
      'afd-premium': { definition: AFD_PREMIUM },
      'afd-tls': { definition: AFD_TLS, parameters: { effect: { value: 'deny' } } },
    });
    const of = (id: string) => scan.findings.filter((f) => f.ruleId === id).map((f) => [f.resource.name, f.outcome]);
    assert.deepEqual(of(AFD_PREMIUM.name), [['afd-standard', 'fail'], ['afd-premium', 'pass']]);
    assert.deepEqual(of(AFD_TLS.name), [['afd-premium/legacy', 'fail'], ['afd-premium/www', 'pass']]);
    const tlsFail = scan.findings.find((f) => f.ruleId === AFD_TLS.name && f.outcome === 'fail');
    assert.ok(tlsFail?.blocking, 'effect deny blocks');
    assert.ok(!scan.findings.some((f) => f.ruleId === AFD_PREMIUM.name && f.outcome === 'fail' && f.blocking), 'effect audit does not block');
  });
});
