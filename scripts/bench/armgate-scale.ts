/**
 * Whether a scan stays linear in the number of resources (issue 9 §3): the same generated repository
 * at 2,000 and at 20,000 resources, scanned and reported (console, SARIF, JSON, as a pipeline run
 * does), per resource. The goal is a ratio near 1: 10x the resources in 10x the time.
 *
 * Each template holds 400 resources (ARM allows 800 per template): web sites with their config
 * children, storage accounts, SQL servers with firewall rules tied by dependsOn (so controls ask
 * related() for them), and resources no control covers. An attestation file covers one resource in
 * ten by name, plus a few wildcard selectors, as a large team's file would. Everything is in memory
 * and built before any timing; sizes alternate so neither gets a warmer heap.
 */
import * as path from 'node:path';
import { silentLogger } from '../../tasks/common/log/logger';
import { evaluate } from '../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { findReporter } from '../../tasks/ArmTemplateSecurityGate/core/reporters';
import type { GateDeps } from '../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { memoryFs, type MemoryCorpus } from './armgate-corpus';
import { figure, median, type Benchmark, type Figure } from './types';

const PER_TEMPLATE = 400;
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** Eight resources per group: a site and its config, a storage account, a SQL server and its rule, and three uncovered. */
function group(t: number, g: number): object[] {
  const id = `t${t}g${g}`;
  return [
    { type: 'Microsoft.Web/sites', apiVersion: '2022-09-01', name: `site-${id}`, location: 'westeurope', properties: { httpsOnly: g % 2 === 0 } },
    { type: 'Microsoft.Web/sites/config', apiVersion: '2022-09-01', name: `site-${id}/web`, properties: { minTlsVersion: '1.2', ftpsState: 'Disabled' } },
    {
      type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: `st${id}`, location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' },
      properties: { supportsHttpsTrafficOnly: g % 3 !== 0, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false },
    },
    { type: 'Microsoft.Sql/servers', apiVersion: '2022-05-01-preview', name: `sql-${id}`, location: 'westeurope', properties: { administratorLogin: 'admin' } },
    {
      type: 'Microsoft.Sql/servers/firewallRules', apiVersion: '2022-05-01-preview', name: `sql-${id}/rule`,
      dependsOn: [`[resourceId('Microsoft.Sql/servers', 'sql-${id}')]`], properties: { startIpAddress: '10.0.0.1', endIpAddress: '10.0.0.9' },
    },
    { type: 'Microsoft.Network/privateDnsZones', apiVersion: '2020-06-01', name: `zone-${id}.internal`, location: 'global', properties: {} },
    { type: 'Microsoft.Insights/components', apiVersion: '2020-02-02', name: `ai-${id}`, location: 'westeurope', kind: 'web', properties: {} },
    { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', apiVersion: '2023-01-31', name: `id-${id}`, location: 'westeurope' },
  ];
}

/** A repository of `resources` resources under /bench/<resources>. */
export function scaleCorpus(resources: number): MemoryCorpus {
  const root = path.resolve('/bench', String(resources));
  const infra = path.join(root, 'infra');
  const files = new Map<string, string>();
  const names: string[] = [];
  const groupsPerTemplate = PER_TEMPLATE / 8;
  const templates = Math.ceil(resources / PER_TEMPLATE);
  const attestations: string[] = ['attestations:'];
  for (let t = 0; t < templates; t++) {
    const res: object[] = [];
    for (let g = 0; g < groupsPerTemplate && t * PER_TEMPLATE + res.length < resources; g++) {
      res.push(...group(t, g));
      if (g % 10 === 0) attestations.push(`  - { control: storage-https-only, resource: { name: st${`t${t}g${g}`} }, justification: legacy clients, expiresOn: 2999-01-01 }`);
    }
    const name = `main-${String(t).padStart(4, '0')}.json`;
    names.push(name);
    files.set(path.join(infra, name), JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', resources: res }, null, 2));
  }
  attestations.push('  - { control: app-service-https-only, resource: { name: "*-prod-*-prod-*" }, justification: none match, expiresOn: 2999-01-01 }');
  attestations.push('  - { control: storage-min-tls-version, resource: { type: "Microsoft.Storage/*", name: "st*g7" }, justification: wildcard, expiresOn: 2999-01-01 }');
  files.set(path.join(root, 'attestations.yml'), `${attestations.join('\n')}\n`);
  const dirs = new Map<string, string[]>([
    [root, ['infra', 'attestations.yml']],
    [infra, names],
  ]);
  return { root, files, dirs };
}

/** One pipeline run's work: scan, then the console, SARIF and JSON reports. */
export function scanAndReport(corpus: MemoryCorpus): { resources: number; findings: number } {
  const deps: GateDeps = { fs: memoryFs(corpus, () => undefined), clock: { now: () => new Date() }, logger: silentLogger };
  const result = evaluate({ paths: ['infra'], root: corpus.root, attestationsFile: 'attestations.yml', unknownPolicy: 'warn' }, deps);
  for (const format of ['console', 'sarif', 'json']) findReporter(format)!.render(result);
  return { resources: result.counts.resources, findings: result.findings.length };
}

function timeOnce(corpus: MemoryCorpus): number {
  const t = process.hrtime.bigint();
  scanAndReport(corpus);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function measureScale(runs: number, small = 2_000, large = 20_000): Figure[] {
  const a = scaleCorpus(small);
  const b = scaleCorpus(large);
  const check = scanAndReport(b);
  if (check.resources !== large) throw new Error(`armgate-scale: expected ${large} resources, the scan counted ${check.resources}`);
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let i = 0; i < Math.max(3, runs); i++) {
    smallTimes.push(timeOnce(a));
    largeTimes.push(timeOnce(b));
  }
  const perSmall = (median(smallTimes) * 1000) / small;
  const perLarge = (median(largeTimes) * 1000) / large;
  return [
    figure('armgate: 20,000 resources vs 2,000', perLarge, 'µs/resource', perSmall),
    figure('armgate: 20,000 resources, scan and report (baseline: 10x the 2,000-resource time)', median(largeTimes), 'ms', median(smallTimes) * 10),
  ];
}

/** Scans generated repositories of 2,000 and 20,000 resources. */
export const armgateScale: Benchmark = {
  name: 'armgate-scale',
  run: async (ctx) => measureScale(Math.min(ctx.runs, 5)),
};
