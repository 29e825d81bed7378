import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'iot-hub-min-tls-version',
    title: 'IoT hub refuses TLS versions older than {minimumTlsVersion}',
    severity: 'high',
    featureSet: 'IoTHub',
    resourceTypes: ['Microsoft.Devices/IotHubs'],
    rationale:
      'Devices and back-end services send telemetry, commands and SAS tokens to the hub; TLS 1.0 and 1.1 are deprecated ' +
      '(RFC 8996) and let a network attacker downgrade those connections. Without minTlsVersion the hub accepts TLS 1.0, 1.1 ' +
      'and 1.2, and the setting can only be chosen when the hub is created, so the template must name the floor.',
    remediation: {
      text: 'Set properties.minTlsVersion to "{minimumTlsVersion}" when creating the hub, after checking that every device SDK supports it.',
      snippet: snippet({ type: 'Microsoft.Devices/IotHubs', properties: { minTlsVersion: '{minimumTlsVersion}' } }),
    },
    references: { psrule: ['Azure.IoTHub.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version devices and services may use.' } },
  },
  ({ minimumTlsVersion }) =>
    expectMinVersion('$.properties.minTlsVersion', minimumTlsVersion, { ifAbsent: 'fail', absentValue: '1.0', absentReason: 'TLS 1.0 and 1.1 are accepted', what: 'the minimum TLS version' }),
);
