import * as assert from 'assert';
import { TemplateError, UnknownValue } from '../../../tasks/ArmTemplateSecurityGate/core/model';
import { plain } from './plain';
import { evaluateExpression, ExpressionOptions } from '../../../tasks/ArmTemplateSecurityGate/core/engine';
import { evaluateFiles, params, tpl } from './scan-files';

// Expected values: the examples of learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-cidr
// (marked "docs"), the rest worked out by hand from the address arithmetic.
const opts: ExpressionOptions = { parameters: { net: '10.144.0.0/20' }, parameterDeclarations: { missing: { type: 'string' } } };
const ev = (e: string) => evaluateExpression(e, opts);

describe('ARM engine: CIDR functions', () => {
  describe('parseCidr', () => {
    const cases: Array<[string, object]> = [
      // docs
      ['10.144.0.0/20', { network: '10.144.0.0', netmask: '255.255.240.0', broadcast: '10.144.15.255', firstUsable: '10.144.0.1', lastUsable: '10.144.15.254', cidr: 20 }],
      ['fdad:3236:5555::/48', { network: 'fdad:3236:5555::', netmask: 'ffff:ffff:ffff::', firstUsable: 'fdad:3236:5555::', lastUsable: 'fdad:3236:5555:ffff:ffff:ffff:ffff:ffff', cidr: 48 }],
      // host bits are cleared
      ['192.168.1.100/24', { network: '192.168.1.0', netmask: '255.255.255.0', broadcast: '192.168.1.255', firstUsable: '192.168.1.1', lastUsable: '192.168.1.254', cidr: 24 }],
      ['0.0.0.0/0', { network: '0.0.0.0', netmask: '0.0.0.0', broadcast: '255.255.255.255', firstUsable: '0.0.0.1', lastUsable: '255.255.255.254', cidr: 0 }],
      ['10.0.0.4/30', { network: '10.0.0.4', netmask: '255.255.255.252', broadcast: '10.0.0.7', firstUsable: '10.0.0.5', lastUsable: '10.0.0.6', cidr: 30 }],
      // a /32 is its one address
      ['10.0.0.7/32', { network: '10.0.0.7', netmask: '255.255.255.255', broadcast: '10.0.0.7', firstUsable: '10.0.0.7', lastUsable: '10.0.0.7', cidr: 32 }],
      // IPv6: no broadcast, the whole range is usable
      ['2001:db8::/127', { network: '2001:db8::', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', firstUsable: '2001:db8::', lastUsable: '2001:db8::1', cidr: 127 }],
      ['2001:DB8::1/128', { network: '2001:db8::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', firstUsable: '2001:db8::1', lastUsable: '2001:db8::1', cidr: 128 }],
      ['::/0', { network: '::', netmask: '::', firstUsable: '::', lastUsable: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', cidr: 0 }],
    ];
    for (const [net, expected] of cases) {
      it(`parseCidr('${net}')`, () => assert.deepStrictEqual(plain(ev(`[parseCidr('${net}')]`)), expected));
    }
    it('a /31 has its network address first; its last usable address is not documented, so unknown', () => {
      assert.strictEqual(ev("[parseCidr('10.0.0.5/31').firstUsable]"), '10.0.0.4');
      assert.strictEqual(ev("[parseCidr('10.0.0.5/31').broadcast]"), '10.0.0.5');
      const last = ev("[parseCidr('10.0.0.5/31').lastUsable]");
      assert.ok(last instanceof UnknownValue && /\/31/.test(last.reason));
    });
    it('prints IPv6 like .NET: longest zero run of two or more groups compressed, the first on a tie', () => {
      assert.strictEqual(ev("[parseCidr('2001:0:0:1:0:0:0:1/128').network]"), '2001:0:0:1::1');
      assert.strictEqual(ev("[parseCidr('2001:db8:0:0:1:0:0:1/128').network]"), '2001:db8::1:0:0:1');
      assert.strictEqual(ev("[parseCidr('2001:db8:0:1:1:1:1:1/128').network]"), '2001:db8:0:1:1:1:1:1');
      assert.strictEqual(ev("[parseCidr('2001:0db8:0000:0000:0000:0000:0000:0000/32').network]"), '2001:db8::');
    });
    it('the sys. namespace form is the same function', () => {
      assert.strictEqual(ev("[sys.parseCidr(parameters('net')).broadcast]"), '10.144.15.255');
    });
  });

  describe('cidrSubnet', () => {
    const cases: Array<[string, string]> = [
      // docs: the first five /24 of a /20 and the first five /52 of a /48
      ["[cidrSubnet('10.144.0.0/20', 24, 0)]", '10.144.0.0/24'],
      ["[cidrSubnet('10.144.0.0/20', 24, 1)]", '10.144.1.0/24'],
      ["[cidrSubnet('10.144.0.0/20', 24, 2)]", '10.144.2.0/24'],
      ["[cidrSubnet('10.144.0.0/20', 24, 3)]", '10.144.3.0/24'],
      ["[cidrSubnet('10.144.0.0/20', 24, 4)]", '10.144.4.0/24'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 0)]", 'fdad:3236:5555::/52'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 1)]", 'fdad:3236:5555:1000::/52'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 2)]", 'fdad:3236:5555:2000::/52'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 3)]", 'fdad:3236:5555:3000::/52'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 4)]", 'fdad:3236:5555:4000::/52'],
      // edges
      ["[cidrSubnet('10.144.0.0/20', 20, 0)]", '10.144.0.0/20'],
      ["[cidrSubnet('10.144.0.0/20', 24, 15)]", '10.144.15.0/24'],
      ["[cidrSubnet('10.0.0.0/8', 32, 16777215)]", '10.255.255.255/32'],
      ["[cidrSubnet('10.144.7.9/20', 22, 1)]", '10.144.4.0/22'],
      ["[cidrSubnet('2001:db8::/32', 64, 1)]", '2001:db8:0:1::/64'],
      ["[sys.cidrSubnet('fdad:3236:5555::/48', 128, 0)]", 'fdad:3236:5555::/128'],
    ];
    for (const [expr, expected] of cases) it(`${expr} → ${expected}`, () => assert.strictEqual(ev(expr), expected));
  });

  describe('cidrHost', () => {
    const cases: Array<[string, string]> = [
      // docs: index 0 is the first address after the network address, for IPv4 and IPv6
      ["[cidrHost('10.144.3.0/24', 0)]", '10.144.3.1'],
      ["[cidrHost('10.144.3.0/24', 1)]", '10.144.3.2'],
      ["[cidrHost('10.144.3.0/24', 2)]", '10.144.3.3'],
      ["[cidrHost('10.144.3.0/24', 3)]", '10.144.3.4'],
      ["[cidrHost('10.144.3.0/24', 4)]", '10.144.3.5'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 0)]", 'fdad:3236:5555:3000::1'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 1)]", 'fdad:3236:5555:3000::2'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 2)]", 'fdad:3236:5555:3000::3'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 3)]", 'fdad:3236:5555:3000::4'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 4)]", 'fdad:3236:5555:3000::5'],
      // the docs' Azure note: index 3 is the first address Azure leaves to a subnet's hosts
      ["[cidrHost('192.168.1.0/24', add(0, 3))]", '192.168.1.4'],
      // edges: the last usable host, carry into the next octet, the smallest ranges with hosts
      ["[cidrHost('10.144.3.0/24', 253)]", '10.144.3.254'],
      ["[cidrHost('10.0.0.0/16', 255)]", '10.0.1.0'],
      ["[cidrHost('10.0.0.0/30', 1)]", '10.0.0.2'],
      ["[cidrHost('2001:db8::/126', 1)]", '2001:db8::2'],
      ["[sys.cidrHost('10.144.3.0/24', 0)]", '10.144.3.1'],
    ];
    for (const [expr, expected] of cases) it(`${expr} → ${expected}`, () => assert.strictEqual(ev(expr), expected));
  });

  describe('errors name the function and the argument', () => {
    const errorCases: Array<[string, RegExp]> = [
      ["[parseCidr('10.0.0.0/33')]", /parseCidr\(\): argument 1 \(network\).*prefix \/33 is out of range/],
      ["[parseCidr('2001:db8::/129')]", /parseCidr\(\): argument 1 \(network\).*prefix \/129 is out of range/],
      ["[parseCidr('256.0.0.0/8')]", /parseCidr\(\): argument 1 \(network\).*'256\.0\.0\.0' is not an IP address/],
      ["[parseCidr('10.0.0.0.0/8')]", /is not an IP address/],
      ["[parseCidr('1::2::3/64')]", /is not an IP address/],
      ["[parseCidr('fdad:3236:5555/48')]", /is not an IP address/],
      ["[parseCidr('hello')]", /parseCidr\(\): argument 1 \(network\).*not in CIDR notation/],
      ["[parseCidr('10.0.0.0/ab')]", /'ab' is not a prefix length/],
      ["[parseCidr('10.0.0.0/-1')]", /'-1' is not a prefix length/],
      ['[parseCidr(42)]', /parseCidr\(\): argument 1 must be a string/],
      ["[cidrSubnet('10.144.0.0/20', 16, 0)]", /cidrSubnet\(\): argument 2 \(newCIDR\) must be from 20 .* got 16/],
      ["[cidrSubnet('10.144.0.0/20', 33, 0)]", /cidrSubnet\(\): argument 2 \(newCIDR\) must be from 20 \(the network's prefix\) to 32, got 33/],
      ["[cidrSubnet('2001:db8::/32', 129, 0)]", /argument 2 \(newCIDR\) must be from 32 .* to 128, got 129/],
      ["[cidrSubnet('10.144.0.0/20', 24, 16)]", /cidrSubnet\(\): argument 3 \(subnetIndex\) 16 is out of range.*index 0 to 15/],
      ["[cidrSubnet('10.144.0.0/20', 24, -1)]", /argument 3 \(subnetIndex\) -1 is out of range/],
      ["[cidrSubnet('10.144.0.0/20', '24', 0)]", /cidrSubnet\(\): argument 2 must be an integer/],
      ["[cidrSubnet('10.144.0.0/20', 24)]", /expects 3 argument/],
      ["[cidrHost('10.144.3.0/24', 254)]", /cidrHost\(\): argument 2 \(hostIndex\) 254 is out of range.*index 0 to 253/],
      ["[cidrHost('10.144.3.0/24', -1)]", /argument 2 \(hostIndex\) -1 is out of range/],
      ["[cidrHost('10.0.0.0/31', 0)]", /cidrHost\(\): argument 1 \(network\) \/31 has no usable host/],
      ["[cidrHost('10.0.0.1/32', 0)]", /\/32 has no usable host/],
      ["[cidrHost('2001:db8::/127', 0)]", /\/127 has no usable host/],
      ["[cidrHost('2001:db8::1/128', 0)]", /\/128 has no usable host/],
      ["[cidrHost('2001:db8::/126', 2)]", /argument 2 \(hostIndex\) 2 is out of range/],
      ["[cidrHost('10.144.3.0/24', '1')]", /cidrHost\(\): argument 2 must be an integer/],
    ];
    for (const [expr, re] of errorCases) {
      it(`${expr} throws ${re}`, () => {
        assert.throws(() => ev(expr), (e: unknown) => e instanceof TemplateError && re.test(e.message));
      });
    }
  });

  describe('unknown, never guessed', () => {
    const unk = (e: string, re: RegExp) => {
      const v = ev(e);
      assert.ok(v instanceof UnknownValue, `${e} should be unknown, got ${JSON.stringify(v)}`);
      assert.match(v.reason, re);
    };
    it('unknown arguments give unknown', () => {
      unk("[parseCidr(parameters('missing'))]", /missing/);
      unk("[cidrSubnet(parameters('missing'), 24, 0)]", /missing/);
      unk("[cidrSubnet(parameters('net'), 24, parameters('missing'))]", /missing/);
      unk("[cidrHost('10.0.0.0/24', parameters('missing'))]", /missing/);
    });
    it('forms whose reading is not documented: no prefix, non-canonical IPv4, netmask, zone index', () => {
      unk("[parseCidr('10.0.0.0')]", /no '\/prefix'/);
      unk("[cidrSubnet('010.0.0.0/8', 16, 0)]", /cidrSubnet\(\).*not canonical/);
      unk("[parseCidr('10.1/16')]", /not canonical/);
      unk("[parseCidr('10.0.0.0/255.0.0.0')]", /netmask/);
      unk("[parseCidr('fe80::1%4/64')]", /zone/);
    });
    it('IPv6 results that .NET prints with an embedded IPv4 part', () => {
      unk("[cidrHost('::ffff:10.0.0.0/120', 0)]", /embedded IPv4/);
      assert.strictEqual(ev("[cidrHost('::ffff:0:0/96', 0)]"), '::ffff:0:1');
    });
  });

  it('a subnet computed from a parameter value evaluates to its address prefix in the template', () => {
    const t = evaluateFiles({
      'main.json': tpl({
        parameters: { vnetPrefix: { type: 'string' } },
        resources: [{
          type: 'Microsoft.Network/virtualNetworks', apiVersion: '2023-04-01', name: 'vnet', location: 'westeurope',
          properties: {
            addressSpace: { addressPrefixes: ["[parameters('vnetPrefix')]"] },
            copy: [{ name: 'subnets', count: 3, input: { name: "[concat('snet', copyIndex('subnets'))]", properties: { addressPrefix: "[cidrSubnet(parameters('vnetPrefix'), 24, copyIndex('subnets'))]" } } }],
          },
        }],
      }),
      'main.parameters.json': params({ vnetPrefix: '10.20.0.0/16' }),
    });
    const subnets = (t.resources[0].body.properties as { subnets: Array<{ name: string; properties: { addressPrefix: unknown } }> }).subnets;
    assert.deepStrictEqual(subnets.map((s) => [s.name, s.properties.addressPrefix]), [['snet0', '10.20.0.0/24'], ['snet1', '10.20.1.0/24'], ['snet2', '10.20.2.0/24']]);
  });
});
