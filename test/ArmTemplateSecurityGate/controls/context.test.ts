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

describe('ArmTemplateSecurityGate controls: related() by index answers as the plain definition does', () => {
  /** The definition, as a filter over every resource (what the index replaces). */
  function reference(resources: EvaluatedResource[], resource: EvaluatedResource, type: string): EvaluatedResource[] {
    const suffix = resourceIdSuffix(resource.type, resource.name);
    const name = resource.name.toLowerCase();
    const dependsOnIt = (r: EvaluatedResource) => {
      const deps = Array.isArray(r.body['dependsOn']) ? (r.body['dependsOn']).filter((d): d is string => typeof d === 'string').map((d) => d.toLowerCase()) : [];
      return deps.some((d) => d === name || (suffix !== undefined && (d === suffix || d.endsWith(`/${suffix}`))));
    };
    const childOf = (r: EvaluatedResource) => r.type.toLowerCase().startsWith(`${resource.type.toLowerCase()}/`) && r.name.toLowerCase().startsWith(`${name}/`);
    return resources.filter((r) => r !== resource && r.type.toLowerCase() === type.toLowerCase() && (childOf(r) || dependsOnIt(r)));
  }

  it('on 800 random resources and every question about them', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const types = ['Microsoft.Sql/servers', 'Microsoft.Sql/servers/databases', 'Microsoft.Sql/servers/firewallRules', 'Microsoft.Web/sites', 'Microsoft.Web/sites/config', 'Microsoft.Network/privateEndpoints'];
    const names = ['srv', 'SRV', 'srv2', 'app', 'app1', "[parameters('x')]", 'a/b'];
    const resources: EvaluatedResource[] = [];
    for (let i = 0; i < 800; i++) {
      const type = types[rand(types.length)];
      const depth = type.split('/').length - 1;
      const name = Array.from({ length: depth }, () => names[rand(names.length)]).join('/');
      const dependsOn = Array.from({ length: rand(3) }, () => {
        const t = types[rand(types.length)];
        const n = Array.from({ length: t.split('/').length - 1 }, () => names[rand(names.length)]).join('/');
        return rand(2) ? n : `/subscriptions/x/resourceGroups/rg/providers/${t.split('/')[0]}/${t.split('/').slice(1).map((s, k) => `${s}/${n.split('/')[k]}`).join('/')}`;
      });
      resources.push(res(type, name, dependsOn.length ? { dependsOn } : {}));
    }
    const ctx = createCheckContext({ file: 't.json', resources, parameters: [], outputs: [], diagnostics: [] });
    let nonEmpty = 0;
    for (const r of resources.slice(0, 150)) {
      for (const t of types) {
        const expected = reference(resources, r, t);
        if (expected.length) nonEmpty++;
        assert.deepStrictEqual(ctx.related(r, t.toUpperCase()), expected);
      }
    }
    assert.ok(nonEmpty > 50, `the questions must have answers (${nonEmpty})`);
  });
});
