import { AKS_TYPE, asBool, fail, isUniversal, parseIpRange, pass, resourceControl, snippet, unknown, type Rule } from './helpers';
import { UnknownValue } from '../model';

const rule: Rule = (view) => {
  const privateCluster = view.get('$.properties.apiServerAccessProfile.enablePrivateCluster');
  if (privateCluster.state === 'unknown') return unknown(`Cannot decide whether the cluster is private: ${privateCluster.value.reason}.`, privateCluster.location);
  if (privateCluster.state === 'value' && asBool(privateCluster.value) === true) return pass('The API server has no public endpoint (private cluster).', privateCluster.location);
  // 2019-02-01 to 2019-06-01 previewed the list at properties.apiServerAuthorizedIPRanges.
  const ranges = view.getShallow('$.properties.apiServerAccessProfile.authorizedIPRanges').state !== 'absent' ? view.getShallow('$.properties.apiServerAccessProfile.authorizedIPRanges') : view.getShallow('$.properties.apiServerAuthorizedIPRanges');
  if (ranges.state === 'unknown') return unknown(`Cannot decide who may reach the API server: ${ranges.value.reason}.`, ranges.location);
  if (ranges.state !== 'value' || !Array.isArray(ranges.value) || ranges.value.length === 0) {
    return fail('The API server is public and accepts every address: no authorizedIPRanges and not a private cluster.', ranges.location);
  }
  let undecided: UnknownValue | undefined;
  for (const r of ranges.value) {
    if (r instanceof UnknownValue) {
      undecided ??= r;
      continue;
    }
    const range = typeof r === 'string' ? parseIpRange(r) : undefined;
    if (range && isUniversal(range)) return fail(`authorizedIPRanges holds ${String(r)}, which is every address.`, ranges.location);
  }
  if (undecided) return unknown(`Cannot decide the authorized ranges: ${undecided.reason}.`, undecided.location ?? ranges.location);
  return pass(`The API server accepts only ${ranges.value.length} authorized range(s).`, ranges.location);
};

export default resourceControl(
  {
    id: 'aks-api-server-restricted',
    title: 'AKS API server is private or limited to authorized IP ranges',
    severity: 'high',
    featureSet: 'KubernetesService',
    resourceTypes: [AKS_TYPE],
    rationale:
      'The Kubernetes API server is the cluster\'s control plane; on a public endpoint open to every address it is exposed to credential ' +
      'stuffing and to every future API server flaw. A private cluster has no public endpoint; otherwise apiServerAccessProfile.' +
      'authorizedIPRanges must list the addresses allowed (and not 0.0.0.0/0). Checkov fails private clusters without ranges; they pass here.',
    remediation: {
      text: 'Set apiServerAccessProfile.enablePrivateCluster to true, or authorizedIPRanges to your build agents\' and administrators\' ranges.',
      snippet: snippet({ type: 'Microsoft.ContainerService/managedClusters', properties: { apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] } } }),
    },
    references: { checkov: ['CKV_AZURE_6'], psrule: ['Azure.AKS.AuthorizedIPs'], mcsb: ['NS-2'] },
    since: '2026-12-07',
  },
  rule,
);
