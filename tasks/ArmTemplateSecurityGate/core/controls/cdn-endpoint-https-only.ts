import { allOf, expectBool, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'cdn-endpoint-https-only',
    title: 'CDN endpoint serves content over HTTPS only',
    severity: 'high',
    featureSet: 'CDN',
    resourceTypes: ['Microsoft.Cdn/profiles/endpoints'],
    rationale:
      'Content served over HTTP can be read and altered between the edge and the user. AzSK only checked that HTTPS was allowed ' +
      '(isHttpsAllowed, default true); its own remediation also turned HTTP off, so both are checked: isHttpsAllowed must not be ' +
      'false and isHttpAllowed (default true) must be false. Use a rules-engine redirect if HTTP requests must be answered.',
    remediation: {
      text: 'Set isHttpAllowed to false and keep isHttpsAllowed true.',
      snippet: snippet({ type: 'Microsoft.Cdn/profiles/endpoints', properties: { isHttpAllowed: false, isHttpsAllowed: true } }),
    },
    references: { azsk: ['Azure_CDN_DP_Enable_Https'], psrule: ['Azure.CDN.HTTP'], mcsb: ['DP-3'] },
    since: '2026-11-23',
  },
  allOf(
    expectBool('$.properties.isHttpsAllowed', true, { ifAbsent: 'pass', absentReason: 'defaults to true', what: 'HTTPS' }),
    expectBool('$.properties.isHttpAllowed', false, { ifAbsent: 'fail', absentReason: 'HTTP is allowed by default', what: 'plain HTTP' }),
  ),
);
