import {
  EvaluatedValue,
  fail,
  findUnknown,
  isAmbiguous,
  isAzureServicesRule,
  isIpProblem,
  isObject,
  pass,
  prop,
  rangeSize,
  readRange,
  resourceControl,
  Rule,
  snippet,
  unknown,
  unknownResult,
} from './helpers';

/** Why an entry is too broad (fail), or why it cannot be judged (an address parsers read differently). */
function judge(text: string, maximum: bigint): { fail?: string; unknown?: string } {
  const r = readRange(text);
  if (isIpProblem(r)) return isAmbiguous(r) ? { unknown: r.message } : { fail: `"${text}" is not an IP address or range` };
  if (isAzureServicesRule(r)) return { fail: '"0.0.0.0" admits every Azure datacenter (any customer\'s services)' };
  if (rangeSize(r) > maximum) return { fail: `"${text}" spans ${rangeSize(r)} addresses (more than ${maximum})` };
  return {};
}

const rule = (maximumAddresses: number): Rule => (view) => {
  const judgeEntry = (text: string) => judge(text, BigInt(maximumAddresses));
  const entries: { text: string; path: (string | number)[] }[] = [];
  const ipRules = view.getShallow('$.properties.ipRules');
  if (ipRules.state === 'unknown') return unknownResult(ipRules, 'the firewall IP rules', view.resource);
  if (ipRules.state === 'value' && Array.isArray(ipRules.value)) {
    let firstUnknown: EvaluatedValue | undefined;
    ipRules.value.forEach((rule, i) => {
      const v = isObject(rule) ? prop(rule, 'ipAddressOrRange') : rule;
      if (findUnknown(v)) firstUnknown ??= v;
      else if (typeof v === 'string') entries.push({ text: v, path: [...ipRules.path, i, 'ipAddressOrRange'] });
    });
    const judged = entries.map((e) => judgeEntry(e.text));
    const problems = judged.flatMap((j) => (j.fail ? [j.fail] : []));
    if (problems.length) return fail(`The Cosmos DB firewall is too broad: ${problems.join('; ')}.`, ipRules.location);
    const ambiguous = judged.find((j) => j.unknown);
    if (ambiguous) return unknown(`Cannot decide the firewall breadth: ${ambiguous.unknown}, which address parsers read differently.`, ipRules.location);
    if (firstUnknown) {
      const u = findUnknown(firstUnknown)!;
      return unknown(`Cannot decide the firewall breadth: an ipRules entry is not known before deployment — ${u.reason}.`, u.location ?? ipRules.location);
    }
  }
  const filter = view.get('$.properties.ipRangeFilter');
  if (filter.state === 'unknown') return unknownResult(filter, 'the ipRangeFilter', view.resource);
  if (filter.state === 'value' && typeof filter.value === 'string') {
    const judged = filter.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((e) => judgeEntry(e));
    const problems = judged.flatMap((j) => (j.fail ? [j.fail] : []));
    if (problems.length) return fail(`The Cosmos DB firewall is too broad: ${problems.join('; ')}.`, filter.location);
    const ambiguous = judged.find((j) => j.unknown);
    if (ambiguous) return unknown(`Cannot decide the firewall breadth: ${ambiguous.unknown}, which address parsers read differently.`, filter.location);
  }
  return pass('Every firewall entry is a specific address or a small range.', ipRules.state === 'value' ? ipRules.location : filter.location);
};

export default resourceControl(
  {
    id: 'cosmos-db-ip-range-restricted',
    title: 'Cosmos DB firewall allows only specific addresses',
    severity: 'high',
    featureSet: 'CosmosDb',
    resourceTypes: ['Microsoft.DocumentDB/databaseAccounts'],
    rationale:
      'A firewall made of very wide ranges protects little. Following AzSK\'s guidance, a single entry should cover at most ' +
      '{maximumAddresses} addresses, and the special entry 0.0.0.0 (accept every Azure datacenter, i.e. any tenant\'s workloads) is not allowed. ' +
      'AzSK could only ask for manual verification; with evaluated templates the ranges are checked.',
    remediation: {
      text: 'List the specific client addresses or small CIDR ranges; use private endpoints for Azure workloads.',
      snippet: snippet({ type: 'Microsoft.DocumentDB/databaseAccounts', properties: { ipRules: [{ ipAddressOrRange: '203.0.113.0/28' }] } }),
    },
    references: { azsk: ['Azure_CosmosDB_AuthZ_Verify_IP_Range'], mcsb: ['NS-2'] },
    since: '2026-11-23',
    parameters: { maximumAddresses: { type: 'integer', default: 256, min: 1, doc: 'Most addresses one firewall entry (address range or CIDR block) may cover.' } },
  },
  ({ maximumAddresses }) => rule(maximumAddresses),
);
