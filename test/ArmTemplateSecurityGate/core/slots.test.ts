/**
 * Deployment slots are App Services of their own: a staging slot with remote debugging on or FTP
 * allowed is as exposed as the production site. The App Service controls judge each slot with its
 * own settings (its siteConfig and its own `config/web`), never the site's, and a baseline dated
 * before slot coverage shipped leaves slots not covered.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate } from '../../../tasks/ArmTemplateSecurityGate/core/evaluate';
import { nodeGateDeps } from '../../../tasks/ArmTemplateSecurityGate/task/node-deps';
import type { ScanResult } from '../../../tasks/ArmTemplateSecurityGate/core/scan-types';
import { silentLogger } from '../../../tasks/common/log/logger';

const quiet = silentLogger;

const SECURE_CONFIG = { minTlsVersion: '1.2', ftpsState: 'Disabled', remoteDebuggingEnabled: false };

const TEMPLATE = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: { siteName: { type: 'string', defaultValue: 'contoso-web' } },
  resources: [
    {
      type: 'Microsoft.Web/sites',
      apiVersion: '2023-12-01',
      name: "[parameters('siteName')]",
      location: 'westeurope',
      identity: { type: 'SystemAssigned' },
      properties: { httpsOnly: true, siteConfig: SECURE_CONFIG },
      resources: [
        // Nested slot: its full type is Microsoft.Web/sites/slots and its name site/staging.
        {
          type: 'slots',
          apiVersion: '2023-12-01',
          name: 'staging',
          location: 'westeurope',
          dependsOn: ["[parameters('siteName')]"],
          properties: { httpsOnly: false, siteConfig: { minTlsVersion: '1.2', ftpsState: 'AllAllowed' } },
        },
      ],
    },
    // Top-level slot whose settings live in its own config/web child, which must not leak to the site.
    {
      type: 'Microsoft.Web/sites/slots',
      apiVersion: '2023-12-01',
      name: "[concat(parameters('siteName'), '/canary')]",
      location: 'westeurope',
      identity: { type: 'SystemAssigned' },
      properties: { httpsOnly: true },
    },
    {
      type: 'Microsoft.Web/sites/slots/config',
      apiVersion: '2023-12-01',
      name: "[concat(parameters('siteName'), '/canary/web')]",
      properties: { minTlsVersion: '1.0', ftpsState: 'Disabled', remoteDebuggingEnabled: true },
    },
  ],
};

function outcome(r: ScanResult, ruleId: string, resource: string): string | undefined {
  const hits = r.findings.filter((f) => f.ruleId === ruleId && f.resource.name === resource);
  assert.ok(hits.length <= 1, `${ruleId} on ${resource}: ${hits.length} results`);
  return hits[0]?.outcome;
}

describe('App Service controls on deployment slots', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armgate-slots-'));
    fs.writeFileSync(path.join(dir, 'web.json'), JSON.stringify(TEMPLATE, null, 2));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("judges each slot by its own settings, the site's and the other slot's never mixed in", () => {
    const r = evaluate({ paths: ['.'], root: dir }, nodeGateDeps(quiet));
    const site = 'contoso-web';
    const staging = 'contoso-web/staging';
    const canary = 'contoso-web/canary';
    // The production site is configured securely.
    for (const id of ['app-service-https-only', 'app-service-min-tls-version', 'app-service-ftps-disabled', 'app-service-remote-debugging-disabled', 'app-service-managed-identity']) {
      assert.equal(outcome(r, id, site), 'pass', id);
    }
    // staging: its own properties.
    assert.equal(outcome(r, 'app-service-https-only', staging), 'fail');
    assert.equal(outcome(r, 'app-service-ftps-disabled', staging), 'fail');
    assert.equal(outcome(r, 'app-service-min-tls-version', staging), 'pass');
    assert.equal(outcome(r, 'app-service-managed-identity', staging), 'fail');
    // canary: its config/web child decides.
    assert.equal(outcome(r, 'app-service-https-only', canary), 'pass');
    assert.equal(outcome(r, 'app-service-min-tls-version', canary), 'fail');
    assert.equal(outcome(r, 'app-service-remote-debugging-disabled', canary), 'fail');
    assert.equal(outcome(r, 'app-service-ftps-disabled', canary), 'pass');
    const tls = r.findings.find((f) => f.ruleId === 'app-service-min-tls-version' && f.resource.name === canary)!;
    assert.equal(tls.resource.type, 'Microsoft.Web/sites/slots');
    assert.equal(tls.line, TEMPLATE_LINE_OF('"minTlsVersion": "1.0"'), 'points at the setting in the config resource');
    // Always On stays a production-site control.
    assert.equal(outcome(r, 'app-service-always-on', staging), undefined);
    assert.ok(!r.uncovered.some((u) => u.type === 'Microsoft.Web/sites/slots'));
  });

  it('a baseline dated before slot coverage shipped reports slots as not covered', () => {
    const r = evaluate({ paths: ['.'], root: dir, baseline: '2026-11' }, nodeGateDeps(quiet));
    assert.equal(outcome(r, 'app-service-https-only', 'contoso-web'), 'pass');
    assert.equal(outcome(r, 'app-service-https-only', 'contoso-web/staging'), undefined);
    assert.deepEqual(
      r.uncovered.filter((u) => u.type === 'Microsoft.Web/sites/slots').map((u) => u.name).sort(),
      ['contoso-web/canary', 'contoso-web/staging'],
    );
    const dated = evaluate({ paths: ['.'], root: dir, baseline: '2026-12-02' }, nodeGateDeps(quiet));
    assert.equal(outcome(dated, 'app-service-https-only', 'contoso-web/staging'), 'fail');
  });
});

function TEMPLATE_LINE_OF(text: string): number {
  const lines = JSON.stringify(TEMPLATE, null, 2).split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not in the template`);
  return i + 1;
}
