import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ZipFile } from '../../scripts/zip-reader';
import { resolvePackage } from '../../tasks/AppServiceMultiRegionDeploy/task/package-source';
import { startEmulators, type Emulators } from '../emulators';
import { request } from '../emulators-tests/helpers';
import { REPO, SUB, TENANT, writeZip } from './fixture';

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('AppServiceMultiRegionDeploy package and pickers', () => {
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-appsvc-pkg-'));
    fs.mkdirSync(path.join(dir, 'drop', 'a'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'drop', 'b'), { recursive: true });
    await writeZip(path.join(dir, 'drop', 'a', 'web.zip'), { 'index.html': 'x' });
    fs.writeFileSync(path.join(dir, 'drop', 'b', 'api.war'), 'not really a war');
    fs.mkdirSync(path.join(dir, 'site', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'site', 'b.txt'), 'b');
    fs.writeFileSync(path.join(dir, 'site', 'sub', 'a.txt'), 'a');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds exactly one package by glob and tells its kind', () => {
    const zip = resolvePackage('drop/**/*.zip', dir);
    assert.deepEqual([zip.kind, zip.name, zip.size], ['zip', 'web.zip', fs.statSync(path.join(dir, 'drop', 'a', 'web.zip')).size]);
    assert.equal(resolvePackage('drop/*/api.war', dir).kind, 'war');
    assert.throws(() => resolvePackage('drop/**/*.*', dir), /Input 'package': 2 files or folders match, expected exactly one/);
    assert.throws(() => resolvePackage('drop/**/*.jar', dir), /Input 'package': no file or folder matches/);
    assert.throws(() => resolvePackage('site/b.txt', dir), /b\.txt is not a \.zip, \.jar or \.war file, nor a folder/);
  });

  it('zips a folder while it streams, every time it is opened', async () => {
    const pkg = resolvePackage('site', dir);
    assert.equal(pkg.kind, 'folder');
    for (let i = 0; i < 2; i++) {
      const zip = new ZipFile('site.zip', await drain(pkg.open()));
      assert.deepEqual(zip.names(), ['b.txt', 'sub/a.txt']);
      assert.equal(zip.readText('sub/a.txt'), 'a');
    }
  });

  it('refuses a symbolic link inside a folder package', () => {
    const linked = path.join(dir, 'linked');
    fs.mkdirSync(linked);
    fs.symlinkSync('/etc/hostname', path.join(linked, 'host'));
    assert.throws(() => resolvePackage('linked', dir), /host is a symbolic link/);
  });

  describe('the pickers of task.json', () => {
    let emu: Emulators;
    let token: string;
    before(async () => {
      emu = await startEmulators({ web: true });
      emu.arm.addSubscription({ subscriptionId: SUB, tenantId: TENANT });
      await emu.web!.addSite({ subscriptionId: SUB, resourceGroup: 'rg-pick', name: 'web-a', slots: ['blue', 'green'] });
      await emu.web!.addSite({ subscriptionId: SUB, resourceGroup: 'rg-pick', name: 'web-b' });
      token = emu.tokens.issue({ audience: emu.arm.endpoint, tenantId: TENANT, appId: 'x', source: 'client-secret', lifetimeSeconds: 600 }).token;
    });
    after(() => emu.close());

    for (const version of ['v1', 'v2']) {
      it(`${version}: the app and slot bindings list what is in the picked resource group and app`, async () => {
        const task = JSON.parse(fs.readFileSync(path.join(REPO, 'tasks', 'AppServiceMultiRegionDeploy', version, 'task.json'), 'utf8')) as { dataSourceBindings: Array<{ target: string; endpointUrl?: string; dataSourceName?: string }> };
        const expand = (url: string) =>
          url.replace('{{{endpoint.url}}}', emu.arm.endpoint).replace('{{{endpoint.subscriptionId}}}', SUB).replace('$(resourceGroupName)', 'rg-pick').replace('$(appName)', 'web-a');
        const binding = (target: string) => task.dataSourceBindings.find((b) => b.target === target)!;
        assert.equal(binding('resourceGroupName').dataSourceName, 'AzureResourceGroups');
        const get = async (url: string) => (await request(expand(url), { ca: emu.ca.ca.certPem, headers: { Authorization: `Bearer ${token}` } })).json as { value: Array<{ id: string; name: string }> };
        assert.deepEqual((await get(binding('appName').endpointUrl!)).value.map((v) => v.name), ['web-a', 'web-b']);
        // resultTemplate `#extractResource id slots`: the segment after /slots/ in each id.
        assert.deepEqual((await get(binding('slotName').endpointUrl!)).value.map((v) => /\/slots\/([^/]+)$/.exec(v.id)?.[1]), ['blue', 'green']);
        assert.deepEqual(emu.web!.specViolations, []);
      });
    }
  });
});
