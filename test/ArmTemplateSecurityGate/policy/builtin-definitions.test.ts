/**
 * Built-in Azure Policy definitions of the resource types the alias table now covers, run through
 * evaluate() with the real engine: each reads its aliases through the table — including aliases whose
 * path is not properties.<suffix> (a VM's sku.name is its hardwareProfile.vmSize) — fails the resource
 * that violates it and passes the one that complies; a definition reading an alias listed as a gap in
 * scripts/policy-aliases/builtin-definitions.json is unknown, naming the alias. The policy rules are
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

/** Cache/RedisCache_DisableAccessKeysAuth_Audit.json: reads Microsoft.Cache/Redis/disableAccessKeyAuthentication, a listed gap. */
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
  ],
};

const BUILT_IN = controls.map((c) => c.meta.id);

describe('built-in policy definitions of the newly covered types (SQL, Compute, Redis), through the alias table', () => {
  let dir: string;
  const write = (rel: string, content: object) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(content, null, 2));
  };
  let result: ScanResult;
  const of = (id: string) => result.findings.filter((f) => f.ruleId === id).map((f) => [f.resource.name, f.outcome]);

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-builtins-'));
    write('infra/main.json', TEMPLATE);
    write('policies/sql-tls.json', SQL_TLS);
    write('policies/sql-tls.parameters.json', { effect: { value: 'Deny' } });
    write('policies/vm-skus.json', VM_SKUS);
    write('policies/vm-skus.parameters.json', { listOfAllowedSKUs: { value: ['Standard_D2s_v5', 'Standard_D4s_v5'] } });
    write('policies/redis-ssl.json', REDIS_SSL);
    write('policies/redis-ssl.parameters.json', { effect: { value: 'Deny' } });
    write('policies/redis-keys.json', REDIS_KEYS);
    result = evaluate({ paths: ['infra'], root: dir, skipControls: BUILT_IN, policyPaths: ['policies'] }, nodeGateDeps(silentLogger));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('SQL minimum TLS (Deny): an old or missing minimalTlsVersion fails and blocks, 1.2 passes', () => {
    assert.deepEqual(of(SQL_TLS.name), [['sql-old-tls', 'fail'], ['sql-no-tls', 'fail'], ['sql-tls12', 'pass']]);
    assert.ok(result.findings.filter((f) => f.ruleId === SQL_TLS.name && f.outcome === 'fail').every((f) => f.blocking));
  });

  it('allowed VM sizes: sku.name is read from hardwareProfile.vmSize, as its alias says', () => {
    assert.deepEqual(of(VM_SKUS.name), [['vm-small', 'pass'], ['vm-huge', 'fail']]);
  });

  it('Redis non-TLS port (Deny): enableNonSslPort true fails, false passes', () => {
    assert.deepEqual(of(REDIS_SSL.name), [['redis-plain', 'fail'], ['redis-tls', 'pass']]);
  });

  it('a definition reading a listed gap is unknown on the resources of its type, naming the alias', () => {
    const u = result.findings.filter((f) => f.ruleId === REDIS_KEYS.name);
    assert.deepEqual(u.map((f) => [f.resource.name, f.outcome]), [['redis-plain', 'unknown'], ['redis-tls', 'unknown']]);
    assert.match(u[0].message, /alias 'Microsoft\.Cache\/Redis\/disableAccessKeyAuthentication' is not in the gate's alias table/);
  });
});
