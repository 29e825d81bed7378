import * as assert from 'node:assert/strict';
import {
  cidrContains,
  cidrRange,
  dotNetPrintsEmbeddedIpv4,
  formatIp,
  formatIpv4,
  isIpProblem,
  isWholeSpace,
  netmaskOf,
  parseCidr,
  parseIp,
  parseIpRange,
  parseIpv4,
  rangeContains,
  rangeCovers,
  rangeSize,
  readCidr,
  readIp,
  readIpRange,
  type IpAddress,
} from '../../tasks/common/net/ip';

const ip = (text: string): IpAddress => {
  const a = parseIp(text);
  assert.ok(a, `${text} should parse`);
  return a;
};

describe('common/net/ip: one strict IP, CIDR and range reader', () => {
  describe('IPv4', () => {
    it('reads canonical dotted decimal', () => {
      assert.equal(parseIpv4('0.0.0.0'), 0);
      assert.equal(parseIpv4('10.0.0.1'), 0x0a000001);
      assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
      assert.deepEqual(parseIp('192.0.2.1'), { family: 4, value: 0xc0000201n });
    });

    it('refuses leading zeros, short and hex forms as non-canonical (010.0.0.1 is 8.0.0.1 to inet_aton and .NET)', () => {
      for (const text of ['010.0.0.1', '10.0.0.01', '00.0.0.0', '10.1', '10', '0x0a.0.0.1', '1.2.3.0x4', '4294967295']) {
        const r = readIp(text);
        assert.ok(isIpProblem(r), text);
        assert.equal(r.problem, 'non-canonical-ipv4', text);
        assert.equal(parseIp(text), undefined, text);
        assert.equal(parseIpv4(text), undefined, text);
      }
    });

    it('refuses what is no address at all, and white space (callers trim where their format allows it)', () => {
      for (const text of ['256.0.0.0', '1.2.3.4.5', '1.2.3.', '1..2.3', '1.2.3.-4', 'a.b.c.d', '', '1.2.3.4/']) {
        const r = readIp(text);
        assert.ok(isIpProblem(r) && r.problem === 'invalid', text);
      }
      const spaced = readIp(' 1.2.3.4');
      assert.ok(isIpProblem(spaced) && spaced.problem === 'white-space');
      assert.equal(parseIpv4('1.2.3.4 '), undefined);
    });
  });

  describe('IPv6', () => {
    it('reads the RFC 4291 text forms, with and without ::, and a dotted IPv4 tail', () => {
      assert.equal(ip('::').value, 0n);
      assert.equal(ip('::1').value, 1n);
      assert.equal(ip('2001:db8::1').value, (0x20010db8n << 96n) | 1n);
      assert.equal(ip('2001:DB8:0:0:0:0:0:1').value, ip('2001:db8::1').value);
      assert.equal(ip('2001:0db8:0000:0000:0000:0000:0000:0001').value, ip('2001:db8::1').value);
      assert.equal(ip('1:2:3:4:5:6:7::').value, ip('1:2:3:4:5:6:7:0').value);
      assert.equal(ip('::ffff:192.0.2.1').value, (0xffffn << 32n) | 0xc0000201n);
      assert.equal(ip('1:2:3:4:5:6:1.2.3.4').value, ip('1:2:3:4:5:6:102:304').value);
      assert.equal(ip('::ffff:192.0.2.1').family, 6);
    });

    it('refuses malformed text and a zone index', () => {
      for (const text of ['1::2::3', ':1::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'fdad:3236:5555', '::ffff:010.0.0.1', '::ffff:1.2.3', ':1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', 'g::1']) {
        const r = readIp(text);
        assert.ok(isIpProblem(r) && r.problem === 'invalid', text);
      }
      const zone = readIp('fe80::1%eth0');
      assert.ok(isIpProblem(zone) && zone.problem === 'zone-index');
    });

    it('prints RFC 5952 text: lower case, longest zero run (first on a tie) as ::, a single zero group kept', () => {
      const cases: Array<[string, string]> = [
        ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
        ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
        ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
        ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
        ['::', '::'],
        ['::1', '::1'],
        ['1::', '1::'],
        ['::ffff:192.0.2.1', '::ffff:c000:201'],
        ['10.0.0.1', '10.0.0.1'],
      ];
      for (const [text, want] of cases) assert.equal(formatIp(ip(text)), want, text);
      assert.equal(formatIpv4(0xffffffff), '255.255.255.255');
    });

    it('knows the forms .NET prints with a dotted IPv4 tail', () => {
      for (const text of ['::ffff:192.0.2.1', '::192.0.2.1', '::ffff:0:192.0.2.1', 'fe80::5efe:192.0.2.1']) assert.equal(dotNetPrintsEmbeddedIpv4(ip(text).value), true, text);
      for (const text of ['::1', '::', '2001:db8::1', '::ffff:0.0.0.0']) assert.equal(dotNetPrintsEmbeddedIpv4(ip(text).value), false, text);
    });
  });

  describe('CIDR', () => {
    it('clears host bits and gives the range and netmask', () => {
      const c = parseCidr('10.0.0.5/31');
      assert.deepEqual(c, { family: 4, network: 0x0a000004n, prefix: 31 });
      assert.deepEqual(cidrRange(parseCidr('10.144.0.0/20')!), { family: 4, first: 0x0a900000n, last: 0x0a900fffn });
      assert.equal(formatIpv4(netmaskOf(parseCidr('10.0.0.0/22')!)), '255.255.252.0');
      assert.deepEqual(cidrRange(parseCidr('0.0.0.0/0')!), { family: 4, first: 0n, last: 0xffffffffn });
      assert.deepEqual(cidrRange(parseCidr('1.2.3.4/32')!), { family: 4, first: 0x01020304n, last: 0x01020304n });
      assert.deepEqual(parseCidr('fdad:3236:5555::/48'), { family: 6, network: ip('fdad:3236:5555::').value, prefix: 48 });
      assert.equal(formatIp({ family: 6, value: cidrRange(parseCidr('2001:db8::/32')!).last }), '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
    });

    it('says what is wrong: no prefix, a netmask, a bad or too long prefix, a bad address', () => {
      const kind = (text: string) => {
        const r = readCidr(text);
        return isIpProblem(r) ? r.problem : 'ok';
      };
      assert.equal(kind('10.0.0.0'), 'no-prefix');
      assert.equal(kind('10.0.0.0/255.255.0.0'), 'netmask');
      assert.equal(kind('10.0.0.0/33'), 'bad-prefix');
      assert.equal(kind('2001:db8::/129'), 'bad-prefix');
      assert.equal(kind('10.0.0.0/ab'), 'bad-prefix');
      assert.equal(kind('10.0.0.0/'), 'bad-prefix');
      assert.equal(kind('10.0.0.0/+8'), 'bad-prefix');
      assert.equal(kind('10.0.0.0/8.0'), 'bad-prefix');
      assert.equal(kind('256.0.0.0/8'), 'invalid');
      assert.equal(kind('hello'), 'invalid');
      assert.equal(kind('010.0.0.0/8'), 'non-canonical-ipv4');
      assert.equal(kind('fe80::%1/64'), 'zone-index');
      assert.equal(kind(' 10.0.0.0/8'), 'white-space');
      assert.equal(kind('2001:db8::/0'), 'ok');
      assert.match((readCidr('10.0.0.0/33') as { message: string }).message, /prefix \/33 is out of range for an IPv4 address \(0 to 32\)/);
    });

    it('containment', () => {
      const c = parseCidr('10.0.0.0/8')!;
      assert.equal(cidrContains(c, ip('10.255.255.255')), true);
      assert.equal(cidrContains(c, ip('11.0.0.0')), false);
      assert.equal(cidrContains(c, ip('::a00:1')), false, 'another family is never inside');
      assert.equal(cidrContains(parseCidr('2001:db8::/32')!, ip('2001:db8:ffff::1')), true);
    });
  });

  describe('ranges', () => {
    it('first-last (white space around the dash), CIDR, or a single address', () => {
      assert.deepEqual(parseIpRange('10.0.0.0-10.0.255.255'), { family: 4, first: 0x0a000000n, last: 0x0a00ffffn });
      assert.deepEqual(parseIpRange('10.0.0.0 - 10.0.255.255'), parseIpRange('10.0.0.0-10.0.255.255'));
      assert.deepEqual(parseIpRange('10.0.0.0/16'), parseIpRange('10.0.0.0-10.0.255.255'));
      assert.deepEqual(parseIpRange('10.0.0.7'), { family: 4, first: 0x0a000007n, last: 0x0a000007n });
      assert.deepEqual(parseIpRange('2001:db8::1-2001:db8::ff'), { family: 6, first: ip('2001:db8::1').value, last: ip('2001:db8::ff').value });
    });

    it('each form can be refused, and a range never mixes families or runs backwards', () => {
      const kind = (text: string, forms?: Parameters<typeof readIpRange>[1]) => {
        const r = readIpRange(text, forms);
        return isIpProblem(r) ? r.problem : 'ok';
      };
      assert.equal(kind('10.0.0.7', { single: false }), 'no-prefix');
      assert.equal(kind('10.0.0.0/8', { cidr: false }), 'invalid');
      assert.equal(kind('10.0.0.0-10.0.0.9', { dash: false }), 'invalid');
      assert.equal(kind('10.0.0.9-10.0.0.1'), 'reversed');
      assert.equal(kind('10.0.0.1-::1'), 'mixed-families');
      assert.equal(kind('010.0.0.1-10.0.0.9'), 'non-canonical-ipv4');
      assert.equal(kind('10.0.0.1-'), 'invalid');
      assert.equal(kind('10.0.0.1-10.0.0.2-10.0.0.3'), 'invalid');
    });

    it('size, whole space, containment and cover', () => {
      assert.equal(rangeSize(parseIpRange('10.0.0.0/24')!), 256n);
      assert.equal(rangeSize(parseIpRange('::/0')!), 1n << 128n);
      assert.equal(isWholeSpace(parseIpRange('0.0.0.0-255.255.255.255')!), true);
      assert.equal(isWholeSpace(parseIpRange('0.0.0.0/0')!), true);
      assert.equal(isWholeSpace(parseIpRange('::/0')!), true);
      assert.equal(isWholeSpace(parseIpRange('0.0.0.0/1')!), false);
      assert.equal(rangeContains(parseIpRange('10.0.0.0/24')!, ip('10.0.0.255')), true);
      assert.equal(rangeContains(parseIpRange('10.0.0.0/24')!, ip('10.0.1.0')), false);
      assert.equal(rangeCovers(parseIpRange('10.0.0.0/8')!, parseIpRange('10.1.0.0/16')!), true);
      assert.equal(rangeCovers(parseIpRange('10.1.0.0/16')!, parseIpRange('10.0.0.0/8')!), false);
    });
  });
});
