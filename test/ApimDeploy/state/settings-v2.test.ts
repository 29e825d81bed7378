import * as assert from 'node:assert/strict';
import { InputError } from '../../../tasks/common/errors';
import { readSettings } from '../../../tasks/ApimDeploy/v2/settings';
import { FakeHost, inputsOf } from '../../helpers/fake-host';

const BASE = { azureSubscription: 'conn', resourceGroupName: 'rg', serviceName: 'svc', stateFolder: 'apim/state' };
const read = (inputs: Record<string, string>) =>
  readSettings(inputsOf(new FakeHost({ inputs: { ...BASE, ...inputs }, variables: { 'System.DefaultWorkingDirectory': '/work', 'Agent.TempDirectory': '/tmp/agent' } })));

function refused(inputs: Record<string, string>, input: string, problem: RegExp): void {
  assert.throws(() => read(inputs), (e: unknown) => e instanceof InputError && e.input === input && problem.test(e.message));
}

describe('ApimDeploy v2 settings', () => {
  it('reads the state inputs with safe defaults: apply, no prune, 8 at once', () => {
    const s = read({});
    assert.deepEqual(s.run, { stateFolder: 'apim/state', environmentFile: undefined, environment: undefined, dryRun: false, prune: [], parallelism: 8, offlineCheck: 'fail' });
    assert.deepEqual(s.target, { resourceGroup: 'rg', serviceName: 'svc' });
    assert.equal(s.tempDirectory, '/tmp/agent');
  });

  it('reads a prune scope per kind with id patterns (plural kinds accepted)', () => {
    const s = read({ prune: 'true', pruneScope: 'apis: orders-*\nproduct\n# comment\nnamedValues: team-a-*\nproductApis: starter', dryRun: 'true', parallelism: '16', environmentFile: 'env.yaml', environment: 'dev' });
    assert.deepEqual(s.run.prune, [
      { kind: 'api', pattern: 'orders-*' },
      { kind: 'product', pattern: '*' },
      { kind: 'namedValue', pattern: 'team-a-*' },
      { kind: 'productApi', pattern: 'starter' },
    ]);
    assert.equal(s.run.dryRun, true);
    assert.equal(s.run.parallelism, 16);
    const every = read({ prune: 'true', pruneScope: 'versionSets: v-*\ngroups\npolicyFragments: old-*\ntags\nproductGroups: gold\napiTags\napiOperationPolicies: orders\napiPolicies: orders-*\nproductPolicies\nproductTags: gold\noperationTag: orders-*\nglobalPolicy\nbackends\npolicyFragment\nsubscriptions: legacy-*\nsubscription' });
    assert.deepEqual(every.run.prune, [
      { kind: 'versionSet', pattern: 'v-*' },
      { kind: 'group', pattern: '*' },
      { kind: 'policyFragment', pattern: 'old-*' },
      { kind: 'tag', pattern: '*' },
      { kind: 'productGroup', pattern: 'gold' },
      { kind: 'apiTag', pattern: '*' },
      { kind: 'apiOperationPolicy', pattern: 'orders' },
      { kind: 'apiPolicy', pattern: 'orders-*' },
      { kind: 'productPolicy', pattern: '*' },
      { kind: 'productTag', pattern: 'gold' },
      { kind: 'operationTag', pattern: 'orders-*' },
      { kind: 'globalPolicy', pattern: '*' },
      { kind: 'backend', pattern: '*' },
      { kind: 'policyFragment', pattern: '*' },
      { kind: 'subscription', pattern: 'legacy-*' },
      { kind: 'subscription', pattern: '*' },
    ]);
    assert.equal(s.run.environment, 'dev');
  });

  it('reads offlineCheck: a revision left online fails the run unless told to warn', () => {
    assert.equal(read({ offlineCheck: 'warn' }).run.offlineCheck, 'warn');
    refused({ offlineCheck: 'ignore' }, 'offlineCheck', /ignore/);
  });

  it('a scope without prune deletes nothing', () => {
    assert.deepEqual(read({ pruneScope: 'apis' }).run.prune, []);
  });

  it('refuses prune without a scope, an unknown kind, a bad bound and an environment file without an environment', () => {
    refused({ prune: 'true' }, 'pruneScope', /is required when prune is on/);
    refused({ prune: 'true', pruneScope: 'users' }, 'pruneScope', /'users' is not '<kind>'.*kinds: namedValues, backends, apis, products, productApis, versionSets, groups, policyFragments, tags, productGroups, apiTags, apiPolicies, apiOperationPolicies, productPolicies, productTags, operationTags, globalPolicies, subscriptions\)/);
    refused({ parallelism: '0' }, 'parallelism', /1/);
    refused({ environmentFile: 'env.yaml' }, 'environment', /is required with an environmentFile/);
    refused({ stateFolder: '' }, 'stateFolder', /is required/);
  });
});
