import { expectOneOf, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'traffic-manager-https-monitoring',
    title: 'Traffic Manager probes endpoints over HTTPS',
    severity: 'medium',
    featureSet: 'TrafficManager',
    resourceTypes: ['Microsoft.Network/trafficManagerProfiles'],
    rationale:
      'Health probes over HTTP can be spoofed or altered in transit, steering users to a failed or hostile endpoint, and they ' +
      'require the endpoint to keep answering plain HTTP. monitorConfig.protocol defaults to HTTP.',
    remediation: {
      text: 'Set monitorConfig.protocol to "HTTPS" (port 443).',
      snippet: snippet({ type: 'Microsoft.Network/trafficManagerProfiles', properties: { monitorConfig: { protocol: 'HTTPS', port: 443, path: '/health' } } }),
    },
    references: { azsk: ['Azure_TrafficManager_DP_Enable_HTTPS'], psrule: ['Azure.TrafficManager.Protocol'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  expectOneOf('$.properties.monitorConfig.protocol', ['HTTPS'], { ifAbsent: 'fail', absentReason: 'defaults to HTTP', what: 'the probe protocol' }),
);
