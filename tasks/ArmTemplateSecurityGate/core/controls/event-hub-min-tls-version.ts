import { expectMinVersion, resourceControl, snippet } from './helpers';

export default resourceControl(
  {
    id: 'event-hub-min-tls-version',
    title: 'Event Hubs namespace rejects TLS older than {minimumTlsVersion}',
    severity: 'medium',
    featureSet: 'EventHub',
    resourceTypes: ['Microsoft.EventHub/namespaces'],
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996); a namespace that accepts them lets clients be downgraded and their SAS ' +
      'tokens and messages read. minimumTlsVersion sets the floor. Microsoft retired TLS 1.0/1.1 for the service in 2025 ' +
      '(announced for 28 February 2025) and an unset value now means 1.2, so only an explicit older value fails.',
    remediation: {
      text: 'Set properties.minimumTlsVersion to "{minimumTlsVersion}" (or remove an older value).',
      snippet: snippet({ type: 'Microsoft.EventHub/namespaces', properties: { minimumTlsVersion: '{minimumTlsVersion}' } }),
    },
    references: { checkov: ['CKV_AZURE_223'], psrule: ['Azure.EventHub.MinTLS'], mcsb: ['DP-3'] },
    since: '2026-12-07',
    parameters: { minimumTlsVersion: { type: 'version', default: '1.2', doc: 'Oldest TLS version clients may use.' } },
  },
  ({ minimumTlsVersion }) =>
    expectMinVersion('$.properties.minimumTlsVersion', minimumTlsVersion, { ifAbsent: 'pass', absentValue: '1.2', absentReason: 'the service applies 1.2', what: 'the minimum TLS version' }),
);
