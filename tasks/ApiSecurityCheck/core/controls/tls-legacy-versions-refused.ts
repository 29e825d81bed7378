import type { ApiCheckResult, ApiControl, LegacyTlsVersion } from '../model';

const NAMES: Record<LegacyTlsVersion, string> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1' };

/** A handshake offering only TLS 1.0, then only TLS 1.1, must be refused by the server. */
export const tlsLegacyVersionsRefused: ApiControl = {
  meta: {
    id: 'tls-legacy-versions-refused',
    title: 'TLS 1.0 and TLS 1.1 handshakes are refused',
    severity: 'high',
    scope: 'host',
    rationale:
      'TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and MD5 in the handshake and lack modern cipher suites, and compliance regimes (PCI DSS, Azure\'s own services) no longer accept them. A server that still negotiates them lets a downgraded or outdated client talk to it with weak protection.',
    remediation: {
      text: 'Set the minimum TLS version to 1.2 (API Management: turn off TLS 1.0 and 1.1 for client connections; Application Gateway: a predefined TLS policy of 2022 or later; App Service: minTlsVersion 1.2).',
      snippet: '"customProperties": {\n  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "False",\n  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "False"\n}',
    },
    references: { owaspApi: ['API8:2023'], cwe: ['CWE-326', 'CWE-757'], mcsb: ['DP-3'], asvs: ['9.1.3'] },
    since: '2026-12-07',
  },
  applies: () => true,
  check(evidence) {
    return (Object.keys(NAMES) as LegacyTlsVersion[]).map((version): ApiCheckResult => {
      const outcome = evidence.legacyTls[version];
      const aspect = NAMES[version];
      switch (outcome.kind) {
        case 'accepted':
          return { outcome: 'fail', aspect, message: `the server completed a ${aspect} handshake` };
        case 'refused':
          return { outcome: 'pass', aspect, message: `the server refused a ${aspect} handshake (${outcome.reason})` };
        case 'untestable':
          return { outcome: 'unknown', aspect, message: `this agent cannot offer ${aspect} (${outcome.reason}), so the server was not asked` };
        case 'network':
          return { outcome: 'unknown', aspect, message: `a ${aspect} handshake got no answer (${outcome.reason})` };
        case 'skipped':
          return { outcome: 'unknown', aspect, message: `${aspect} was not probed: ${outcome.reason}` };
      }
    });
  },
};
