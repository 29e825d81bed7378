import * as assert from 'node:assert/strict';
import { patchAppSettings } from '../../tasks/AppServiceMultiRegionDeploy/core/app-settings';

describe('AppServiceMultiRegionDeploy app settings: any name is a name', () => {
  it('sets, changes and removes settings named like Object.prototype members', () => {
    const current = JSON.parse('{"constructor":"a","KEEP":"k"}') as Record<string, string>;
    const r = patchAppSettings(current, { set: new Map([['__proto__', 'p'], ['toString', 't'], ['CONSTRUCTOR', 'b']]), remove: ['keep'] }, false, "app 'web'");
    assert.ok(r);
    assert.deepEqual(Object.keys(r.next), ['__proto__', 'toString', 'CONSTRUCTOR']);
    assert.equal(Object.getOwnPropertyDescriptor(r.next, '__proto__')?.value, 'p');
    assert.equal(r.next.toString, 't');
    assert.deepEqual(r.changed, ['__proto__', 'toString', 'CONSTRUCTOR']);
    assert.deepEqual(r.removed, ['KEEP']);
    assert.equal(patchAppSettings({ hasOwnProperty: 'x' }, { set: new Map([['hasOwnProperty', 'x']]), remove: [] }, false, "app 'web'"), undefined, 'unchanged');
  });
});
