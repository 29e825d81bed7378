import { parse as parseYaml } from 'yaml';
import { InputError } from '../../common/errors';
import { dotNetPrintsEmbeddedIpv4, formatIp, formatIpv4, isIpProblem, readIp, readIpRange } from '../../common/net/ip';
import { isGuid } from '../../common/guid';

/**
 * Policy templates: a YAML list of small, checked building blocks rendered into one `<policies>`
 * document. Every value is validated and XML-escaped here, so a template can never produce XML
 * that does something other than what its parameters say.
 */

export type PolicyLevel = 'global' | 'product' | 'api' | 'operation';

type Section = 'inbound' | 'backend' | 'outbound' | 'on-error';

interface Fragment {
  section: Section;
  xml: string;
  /** Before `<base />`: CORS must answer preflight requests before inherited policies (e.g. validate-jwt) reject them. */
  beforeBase?: boolean;
}

/** The variable holding the client address chosen by an ipFilter with clientAddressFrom: x-forwarded-for. */
export const CLIENT_IP_VARIABLE = 'srk-client-ip';

type Params = Record<string, unknown>;

class TemplateReader {
  constructor(
    private readonly input: string,
    private readonly where: string,
    private readonly params: Params,
  ) {}

  readonly known = new Set<string>();

  fail(problem: string): never {
    throw new InputError(this.input, `${this.where}: ${problem}`);
  }

  private take(key: string): unknown {
    this.known.add(key);
    return Object.hasOwn(this.params, key) ? this.params[key] : undefined;
  }

  string(key: string, required: true): string;
  string(key: string, required?: false): string | undefined;
  string(key: string, required = false): string | undefined {
    const v = this.take(key);
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(`'${key}' is required`);
      return undefined;
    }
    if (typeof v !== 'string' && typeof v !== 'number') this.fail(`'${key}' must be a string`);
    return String(v);
  }

  list(key: string, required = false): string[] {
    const v = this.take(key);
    if (v === undefined || v === null) {
      if (required) this.fail(`'${key}' is required (a list)`);
      return [];
    }
    const items = Array.isArray(v) ? v : [v];
    return items.map((item, i) => {
      if (typeof item !== 'string' && typeof item !== 'number') this.fail(`'${key}[${i}]' must be a string`);
      return String(item).trim();
    });
  }

  int(key: string, fallback?: number, min = 0): number {
    const v = this.take(key);
    if (v === undefined || v === null || v === '') {
      if (fallback === undefined) this.fail(`'${key}' is required (a whole number)`);
      return fallback;
    }
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < min) this.fail(`'${key}' must be a whole number ≥ ${min}, got '${String(v)}'`);
    return n;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.take(key);
    if (v === undefined || v === null || v === '') return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.fail(`'${key}' must be true or false, got '${String(v)}'`);
  }

  oneOf<T extends string>(key: string, values: readonly T[], fallback?: T): T {
    const v = (fallback === undefined ? this.string(key, true) : this.string(key)) ?? fallback!;
    const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (!hit) this.fail(`'${key}' must be one of ${values.join(', ')}, got '${v}'`);
    return hit;
  }

  /** A map of name to value(s); a Map, so a claim named `__proto__` or `constructor` is kept like any other. */
  record(key: string): Map<string, string[]> {
    const v = this.take(key);
    const out = new Map<string, string[]>();
    if (v === undefined || v === null) return out;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(`'${key}' must be a map of claim name to value(s)`);
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      const vals = Array.isArray(val) ? val : [val];
      out.set(k, vals.map((x) => String(x)));
    }
    return out;
  }

  /** Rejects misspelt parameters, which would otherwise be silently ignored. */
  done(): void {
    for (const key of Object.keys(this.params)) {
      if (!this.known.has(key)) this.fail(`unknown parameter '${key}' (known: ${[...this.known].join(', ')})`);
    }
  }
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A C# string literal for a policy expression (inside an XML attribute, so also XML-escaped by the caller). */
function csString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface Ipv4Range {
  from: bigint;
  to: bigint;
}

/** `a.b.c.d-e.f.g.h` or `a.b.c.d/nn` (IPv4: APIM's address-range and the client-address test below take IPv4 ranges). */
function parseRange(text: string, r: TemplateReader, key: string): Ipv4Range {
  const range = readIpRange(text, { single: false });
  if (isIpProblem(range)) {
    if (range.problem === 'reversed') return r.fail(`'${key}' entry '${text}' starts after it ends`);
    if (text.includes('/')) return r.fail(`'${key}' entry '${text}' is not an IPv4 CIDR range: ${range.message}`);
    return r.fail(`'${key}' entry '${text}' is not a range: use 'first-last' (e.g. 10.0.0.0-10.0.255.255) or CIDR (10.0.0.0/16)${range.problem === 'no-prefix' ? '' : `; ${range.message}`}`);
  }
  if (range.family !== 4) return r.fail(`'${key}' entry '${text}' is an IPv6 range; ranges are IPv4 (list IPv6 clients in 'addresses')`);
  return { from: range.first, to: range.last };
}

/** An address entry in its canonical text, which is how the gateway prints the client address it compares with. */
function address(text: string, r: TemplateReader, key: string): string {
  const a = readIp(text);
  if (isIpProblem(a)) return r.fail(`'${key}' entry '${text}' is not an IP address: ${a.message}`);
  // .NET prints these with a dotted IPv4 tail; the user's own spelling is the closer guess there.
  return a.family === 6 && dotNetPrintsEmbeddedIpv4(a.value) ? text.toLowerCase() : formatIp(a);
}

function ipFilter(r: TemplateReader): Fragment[] {
  const action = r.oneOf('action', ['allow', 'forbid'] as const);
  const addresses = r.list('addresses').map((t) => address(t, r, 'addresses'));
  const ranges = r.list('ranges').map((t) => parseRange(t, r, 'ranges'));
  if (addresses.length === 0 && ranges.length === 0) r.fail(`give at least one entry in 'addresses' or 'ranges'`);
  const from = r.oneOf('clientAddressFrom', ['connection', 'x-forwarded-for'] as const, 'connection');
  const hops = r.int('trustedProxyHops', 1, 1);
  const proxies = r.list('proxyAddresses').map((t) => address(t, r, 'proxyAddresses'));
  const proxyRanges = r.list('proxyRanges').map((t) => parseRange(t, r, 'proxyRanges'));
  r.done();

  const rangeXml = (list: Ipv4Range[]) => list.map((x) => `<address-range from="${formatIpv4(x.from)}" to="${formatIpv4(x.to)}" />`).join('');
  if (from === 'connection') {
    return [{ section: 'inbound', xml: `<ip-filter action="${action}">${addresses.map((a) => `<address>${escapeXml(a)}</address>`).join('')}${rangeXml(ranges)}</ip-filter>` }];
  }

  const out: Fragment[] = [];
  if (proxies.length > 0 || proxyRanges.length > 0) {
    // X-Forwarded-For is only as trustworthy as the peer that sent it: only the proxy may call.
    out.push({ section: 'inbound', xml: `<ip-filter action="allow">${proxies.map((a) => `<address>${escapeXml(a)}</address>`).join('')}${rangeXml(proxyRanges)}</ip-filter>` });
  }
  // The right-most entries are appended by our own proxies; anything further left was sent by the
  // client and can be forged. With N trusted hops the client address is the N-th entry from the right.
  const pick = [
    'var xff = context.Request.Headers.GetValueOrDefault("X-Forwarded-For", "");',
    'var parts = xff.Split(\',\');',
    `var i = parts.Length - ${hops};`,
    'if (xff.Trim().Length == 0 || i < 0) { return ""; }',
    'var ip = parts[i].Trim();',
    'if (ip.StartsWith("[")) { var end = ip.IndexOf("]"); ip = end > 0 ? ip.Substring(1, end - 1) : ip; }',
    'else if (ip.IndexOf(\':\') > 0 && ip.IndexOf(\':\') == ip.LastIndexOf(\':\')) { ip = ip.Substring(0, ip.IndexOf(\':\')); }',
    'return ip;',
  ].join(' ');
  const v4 = ranges.map((x) => `(v >= ${x.from}L && v <= ${x.to}L)`);
  const exact = addresses.map((a) => csString(a));
  const test = [
    `var ip = (string)context.Variables.GetValueOrDefault("${CLIENT_IP_VARIABLE}", "");`,
    'System.Net.IPAddress addr;',
    `if (!System.Net.IPAddress.TryParse(ip, out addr)) { return ${action === 'allow' ? 'true' : 'false'}; }`,
    'var b = addr.GetAddressBytes();',
    'var listed = false;',
    v4.length ? `if (b.Length == 4) { long v = ((long)b[0] << 24) | ((long)b[1] << 16) | ((long)b[2] << 8) | (long)b[3]; listed = ${v4.join(' || ')}; }` : '',
    exact.length ? `listed = listed || new string[] { ${exact.join(', ')} }.Contains(addr.ToString().ToLowerInvariant());` : '',
    `return ${action === 'allow' ? '!listed' : 'listed'};`,
  ]
    .filter(Boolean)
    .join(' ');
  out.push({
    section: 'inbound',
    xml:
      `<set-variable name="${CLIENT_IP_VARIABLE}" value="${escapeXml(`@{ ${pick} }`)}" />` +
      `<choose><when condition="${escapeXml(`@{ ${test} }`)}"><return-response><set-status code="403" reason="Forbidden" /></return-response></when></choose>`,
  });
  return out;
}

function validateJwt(r: TemplateReader): Fragment[] {
  const tenantId = r.string('tenantId', true);
  if (!isGuid(tenantId)) r.fail(`'tenantId' must be the directory (tenant) id, a GUID; got '${tenantId}'`);
  const audiences = r.list('audiences', true);
  if (audiences.length === 0) r.fail(`'audiences' needs at least one value (the API's application id URI or client id)`);
  const authority = (r.string('authorityHost') ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  if (!/^https:\/\/[^/]+$/.test(authority)) r.fail(`'authorityHost' must be an https URL without a path, e.g. https://login.microsoftonline.us`);
  const claims = r.record('requiredClaims');
  const header = r.string('headerName') ?? 'Authorization';
  const issuers = r.list('issuers');
  r.done();
  // v2.0 tokens carry the login host issuer; v1.0 tokens (accessTokenAcceptedVersion null/1) the sts.windows.net one.
  const defaultIssuers = [`${authority}/${tenantId}/v2.0`];
  if (authority === 'https://login.microsoftonline.com') defaultIssuers.push(`https://sts.windows.net/${tenantId}/`);
  const claimXml = [...claims]
    .map(([name, values]) => `<claim name="${escapeXml(name)}" match="any">${values.map((v) => `<value>${escapeXml(v)}</value>`).join('')}</claim>`)
    .join('');
  const headerAttrs = header.toLowerCase() === 'authorization' ? 'header-name="Authorization" require-scheme="Bearer"' : `header-name="${escapeXml(header)}"`;
  return [
    {
      section: 'inbound',
      xml:
        `<validate-jwt ${headerAttrs} failed-validation-httpcode="401" failed-validation-error-message="Unauthorized" require-expiration-time="true" require-signed-tokens="true">` +
        `<openid-config url="${escapeXml(`${authority}/${tenantId}/v2.0/.well-known/openid-configuration`)}" />` +
        `<audiences>${audiences.map((a) => `<audience>${escapeXml(a)}</audience>`).join('')}</audiences>` +
        `<issuers>${(issuers.length ? issuers : defaultIssuers).map((i) => `<issuer>${escapeXml(i)}</issuer>`).join('')}</issuers>` +
        (claimXml ? `<required-claims>${claimXml}</required-claims>` : '') +
        `</validate-jwt>`,
    },
  ];
}

function counterKey(r: TemplateReader): string {
  const key = r.string('key') ?? 'ip';
  switch (key) {
    case 'ip':
      return '@(context.Request.IpAddress)';
    case 'clientIp':
      return `@((string)context.Variables.GetValueOrDefault("${CLIENT_IP_VARIABLE}", context.Request.IpAddress))`;
    case 'subscription':
      return '@(context.Subscription?.Id ?? context.Request.IpAddress)';
    case 'jwtSubject':
      return '@(context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt()?.Subject ?? context.Request.IpAddress)';
    default:
      if (key.startsWith('@(') || key.startsWith('@{')) return key;
      return r.fail(`'key' must be ip, clientIp, subscription, jwtSubject or a policy expression @(...); got '${key}'`);
  }
}

function rateLimitByKey(r: TemplateReader): Fragment[] {
  const calls = r.int('calls', undefined, 1);
  const period = r.int('renewalPeriod', 60, 1);
  const key = counterKey(r);
  r.done();
  return [{ section: 'inbound', xml: `<rate-limit-by-key calls="${calls}" renewal-period="${period}" counter-key="${escapeXml(key)}" />` }];
}

function quotaByKey(r: TemplateReader): Fragment[] {
  const calls = r.int('calls', 0, 0);
  const bandwidth = r.int('bandwidth', 0, 0);
  if (!calls && !bandwidth) r.fail(`give 'calls' or 'bandwidth' (kilobytes), or both`);
  const period = r.int('renewalPeriod', 3600, 1);
  const key = counterKey(r);
  r.done();
  const attrs = [calls ? `calls="${calls}"` : '', bandwidth ? `bandwidth="${bandwidth}"` : ''].filter(Boolean).join(' ');
  return [{ section: 'inbound', xml: `<quota-by-key ${attrs} renewal-period="${period}" counter-key="${escapeXml(key)}" />` }];
}

function cors(r: TemplateReader): Fragment[] {
  const origins = r.list('allowedOrigins', true);
  const credentials = r.bool('allowCredentials', false);
  const methods = r.list('allowedMethods');
  const headers = r.list('allowedHeaders');
  const expose = r.list('exposeHeaders');
  const maxAge = r.int('preflightMaxAge', 300, 0);
  r.done();
  if (origins.length === 0) r.fail(`'allowedOrigins' needs at least one origin`);
  for (const o of origins) {
    if (o === '*') {
      r.fail(
        credentials
          ? `'*' with allowCredentials: true would let any site make credentialed calls; list the origins`
          : `list the origins explicitly; '*' lets any web page call the API from a user's browser`,
      );
    }
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    if (!url || url.origin !== o.replace(/\/$/, '') || !/^https?:$/.test(url.protocol)) {
      r.fail(`'${o}' is not an origin (scheme://host[:port], no path), e.g. https://app.contoso.com`);
    }
  }
  const list = (tag: string, items: string[], fallback?: string) =>
    items.length ? items.map((i) => `<${tag}>${escapeXml(i)}</${tag}>`).join('') : fallback ? `<${tag}>${fallback}</${tag}>` : '';
  return [
    {
      section: 'inbound',
      beforeBase: true,
      xml:
        `<cors allow-credentials="${credentials}" terminate-unmatched-request="true">` +
        `<allowed-origins>${list('origin', origins.map((o) => o.replace(/\/$/, '')))}</allowed-origins>` +
        `<allowed-methods preflight-result-max-age="${maxAge}">${list('method', methods.map((m) => m.toUpperCase()), 'GET')}</allowed-methods>` +
        `<allowed-headers>${list('header', headers, '*')}</allowed-headers>` +
        (expose.length ? `<expose-headers>${list('header', expose)}</expose-headers>` : '') +
        `</cors>`,
    },
  ];
}

function checkHeader(r: TemplateReader): Fragment[] {
  const name = r.string('name', true);
  const values = r.list('values');
  const code = r.int('failedCheckHttpCode', 401, 100);
  const message = r.string('failedCheckErrorMessage') ?? `Missing or invalid ${name} header`;
  const ignoreCase = r.bool('ignoreCase', false);
  r.done();
  return [
    {
      section: 'inbound',
      xml: `<check-header name="${escapeXml(name)}" failed-check-httpcode="${code}" failed-check-error-message="${escapeXml(message)}" ignore-case="${ignoreCase}">${values.map((v) => `<value>${escapeXml(v)}</value>`).join('')}</check-header>`,
    },
  ];
}

function clientCertificate(r: TemplateReader): Fragment[] {
  const thumbprints = r.list('thumbprints').map((t) => t.replace(/[\s:]/g, '').toUpperCase());
  const issuers = r.list('issuerSubjects');
  const subjects = r.list('subjects');
  const revocation = r.bool('validateRevocation', true);
  r.done();
  for (const t of thumbprints) if (!/^[0-9A-F]{40}$/.test(t)) r.fail(`thumbprint '${t}' is not 40 hex digits (SHA-1)`);
  if (!thumbprints.length && !issuers.length && !subjects.length) r.fail(`give 'thumbprints', 'issuerSubjects' or 'subjects' to say which certificates are accepted`);
  const identities = [
    ...thumbprints.map((t) => `<identity thumbprint="${t}" />`),
    ...issuers.map((i) => `<identity issuer-subject="${escapeXml(i)}" />`),
    ...subjects.map((s) => `<identity subject="${escapeXml(s)}" />`),
  ].join('');
  return [
    {
      section: 'inbound',
      xml: `<validate-client-certificate validate-revocation="${revocation}" validate-trust="true" validate-not-before="true" validate-not-after="true" ignore-error="false"><identities>${identities}</identities></validate-client-certificate>`,
    },
  ];
}

/** A Map: a template name comes from the user, and `toString` or `constructor` must be unknown names, not Object members. */
const TEMPLATES = new Map<string, (r: TemplateReader) => Fragment[]>([
  ['ipFilter', ipFilter],
  ['validateJwt', validateJwt],
  ['rateLimitByKey', rateLimitByKey],
  ['quotaByKey', quotaByKey],
  ['cors', cors],
  ['checkHeader', checkHeader],
  ['clientCertificate', clientCertificate],
]);

export const TEMPLATE_NAMES = [...TEMPLATES.keys()];

/**
 * Renders a YAML list such as `- rateLimitByKey: { calls: 100 }` into one policy document for the
 * given level: `<base />` in every section below global; at global the backend forwards the request.
 */
export function renderPolicyTemplates(text: string, input: string, level: PolicyLevel): string {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(input, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(doc) || doc.length === 0) {
    throw new InputError(input, `expected a YAML list of templates, e.g. "- rateLimitByKey: { calls: 100, renewalPeriod: 60 }" (templates: ${TEMPLATE_NAMES.join(', ')})`);
  }
  const fragments: Fragment[] = [];
  doc.forEach((item, index) => {
    const where = `item ${index + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item) || Object.keys(item).length !== 1) {
      throw new InputError(input, `${where}: each item is one template name with its parameters (templates: ${TEMPLATE_NAMES.join(', ')})`);
    }
    const [[name, params]] = Object.entries(item as Record<string, unknown>) as [[string, unknown]];
    const render = TEMPLATES.get(name);
    if (!render) throw new InputError(input, `${where}: unknown template '${name}' (templates: ${TEMPLATE_NAMES.join(', ')})`);
    if (params !== null && params !== undefined && (typeof params !== 'object' || Array.isArray(params))) {
      throw new InputError(input, `${where} (${name}): parameters must be a map`);
    }
    fragments.push(...render(new TemplateReader(input, `${where} (${name})`, (params ?? {}) as Params)));
  });
  return composePolicy(fragments, level);
}

function composePolicy(fragments: Fragment[], level: PolicyLevel): string {
  const base = level === 'global' ? '' : '<base />';
  const section = (name: Section, fallback: string) => {
    const before = fragments.filter((f) => f.section === name && f.beforeBase).map((f) => f.xml);
    const after = fragments.filter((f) => f.section === name && !f.beforeBase).map((f) => f.xml);
    const body = [...before, base || (name === 'backend' ? fallback : ''), ...after].filter(Boolean);
    return body.length ? `  <${name}>\n${body.map((b) => `    ${b}`).join('\n')}\n  </${name}>` : `  <${name} />`;
  };
  return ['<policies>', section('inbound', ''), section('backend', '<forward-request />'), section('outbound', ''), section('on-error', ''), '</policies>', ''].join('\n');
}
