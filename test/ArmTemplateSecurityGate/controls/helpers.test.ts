import * as assert from 'node:assert/strict';
import { compareVersions, parseVersion } from '../../../tasks/ArmTemplateSecurityGate/core/controls/helpers';

describe('controls/helpers: parseVersion', () => {
  const versions: Array<[unknown, number[]]> = [
    ['1.2', [1, 2]],
    ['TLS1_2', [1, 2]],
    ['Tls1.3', [1, 3]],
    ['v4.0', [4, 0]],
    ['1.29.2', [1, 29, 2]],
    [' 5.1 ', [5, 1]],
    [1.2, [1, 2]],
  ];
  for (const [input, expected] of versions) {
    it(`reads ${JSON.stringify(input)} as ${expected.join('.')}`, () => assert.deepEqual(parseVersion(input as string), expected));
  }

  for (const input of ['S3cr3t-Value-XYZ', 'latest', 'TLS', '', '1.2-preview', 'version 2 of 3']) {
    it(`does not read ${JSON.stringify(input)} as a version`, () => assert.equal(parseVersion(input), undefined));
  }

  it('compares component by component', () => {
    assert.equal(compareVersions([1, 10], [1, 9]), 1);
    assert.equal(compareVersions([1, 2], [1, 2, 0]), 0);
    assert.equal(compareVersions([1, 1], [1, 2]), -1);
  });
});
