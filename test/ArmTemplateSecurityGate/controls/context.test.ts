import * as assert from 'assert';
import { EvaluatedResource, EvaluatedTemplate, EvaluatedValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { createCheckContext, resourceIdSuffix } from '../../../tasks/ArmTemplateSecurityGate/core/controls/context';

const loc = { file: 't.json', line: 1, column: 1 };
function res(type: string, name: string, body: { [k: string]: EvaluatedValue } = {}): EvaluatedResource {
  return { type, name, body, location: loc, locate: () => loc, deploymentPath: [] };
}

describe('ArmTemplateSecurityGate controls: CheckContext.related', () => {
  const site = res('Microsoft.Web/sites', 'app1');
  const other = res('Microsoft.Web/sites', 'app10');
  const child = res('Microsoft.Web/sites/config', 'APP1/web');
  const otherChild = res('Microsoft.Web/sites/config', 'app10/web');
  // Not a child type and not name-prefixed: only dependsOn ties it to the server.
  const byDependsOn = res('Microsoft.Network/privateEndpoints', 'pe-sql', {
    dependsOn: ['/subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/srv'],
  });
  const server = res('Microsoft.Sql/servers', 'srv');
  const unrelated = res('Microsoft.Network/privateEndpoints', 'pe-other', { dependsOn: ['/providers/Microsoft.Sql/servers/srv2', 'srv-x'] });
  const template: EvaluatedTemplate = {
    file: 't.json',
    resources: [site, other, child, otherChild, server, byDependsOn, unrelated],
    parameters: [],
    outputs: [],
    diagnostics: [],
  };
  const ctx = createCheckContext(template);

  it('finds children by name prefix, case-insensitively, without confusing app1 with app10', () => {
    assert.deepStrictEqual(ctx.related(site, 'microsoft.web/sites/config'), [child]);
    assert.deepStrictEqual(ctx.related(other, 'Microsoft.Web/sites/config'), [otherChild]);
  });

  it('finds resources that name the resource in dependsOn and ignores those that name another', () => {
    assert.deepStrictEqual(ctx.related(server, 'Microsoft.Network/privateEndpoints'), [byDependsOn]);
  });

  it('builds resource id suffixes for nested types', () => {
    assert.strictEqual(resourceIdSuffix('Microsoft.Sql/servers/databases', 'srv/db'), 'microsoft.sql/servers/srv/databases/db');
    assert.strictEqual(resourceIdSuffix('Microsoft.Sql/servers/databases', 'srv'), undefined);
  });
});
