import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import forge from 'node-forge';

/** A certificate with its private key, both PEM. */
export interface KeyedCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-1 of the DER certificate, upper-case hex (the "thumbprint" Azure shows). */
  thumbprintSha1: string;
  /** SHA-256 of the DER certificate, upper-case hex. */
  thumbprintSha256: string;
}

export interface TestCa {
  ca: KeyedCertificate;
  /** Server certificate for 127.0.0.1 and localhost, signed by the CA. */
  server: KeyedCertificate;
  /** Path of a temp file holding the CA PEM (hand it to tasks as AGENT_CAINFO). */
  caFile: string;
  /** Temp folder owned by this CA; removed by dispose(). */
  dir: string;
  /** Issue a client certificate (for mutual TLS) signed by the CA. */
  issueClientCertificate(commonName: string, validity?: Validity): KeyedCertificate;
  /** The CA as an issuer of any kind of certificate (intermediates, servers with other names or dates). */
  authority: CertificateAuthority;
  dispose(): void;
}

/** A validity window; default: from an hour ago for 30 days. */
export interface Validity {
  days?: number;
  notBefore?: Date;
  notAfter?: Date;
}

/** A CA that issues certificates: the per-run root, an intermediate under it, or another root. */
export interface CertificateAuthority extends KeyedCertificate {
  issueClientCertificate(commonName: string, validity?: Validity): KeyedCertificate;
  /** A server certificate for the given names (default 127.0.0.1 and localhost). */
  issueServerCertificate(hosts?: string[], validity?: Validity): KeyedCertificate;
  issueIntermediate(commonName: string, validity?: Validity): CertificateAuthority;
}

function authorityOf(root: KeyedCertificate & { cert: forge.pki.Certificate }): CertificateAuthority {
  const issuer = { cert: root.cert, keyPem: root.keyPem };
  return {
    ...strip(root),
    issueClientCertificate: (commonName, validity = {}) => strip(buildCertificate({ subjectCn: commonName, issuer, clientAuth: true, ...validity })),
    issueServerCertificate: (hosts, validity = {}) =>
      strip(buildCertificate({ subjectCn: hosts?.[0] ?? '127.0.0.1', issuer, serverAltNames: true, hosts, ...validity })),
    issueIntermediate: (commonName, validity = {}) => authorityOf(buildCertificate({ subjectCn: commonName, issuer, isCa: true, days: 365, ...validity })),
  };
}

/** A root CA of its own (not the per-run one): for trust that only a given CA bundle grants. */
export function createCertificateAuthority(commonName: string): CertificateAuthority {
  return authorityOf(buildCertificate({ subjectCn: commonName, isCa: true, days: 3650 }));
}

// Native key generation is ~50x faster than forge's pure-JS one; forge is only used for X.509 structure.
function newKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    // PKCS#1 "RSA PRIVATE KEY" is what forge reads and what Azure's PEM exports contain.
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

let serialCounter = 1;

interface BuildOptions {
  subjectCn: string;
  issuer?: { cert: forge.pki.Certificate; keyPem: string };
  isCa?: boolean;
  serverAltNames?: boolean;
  /** Server names other than 127.0.0.1 and localhost (DNS names or IPv4 addresses). */
  hosts?: string[];
  clientAuth?: boolean;
  days?: number;
  notBefore?: Date;
  notAfter?: Date;
}

function buildCertificate(opts: BuildOptions): KeyedCertificate & { cert: forge.pki.Certificate } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  // Positive, unique serial: a leading 0x01 byte keeps the DER integer positive.
  cert.serialNumber = '01' + crypto.randomBytes(8).toString('hex') + (serialCounter++).toString(16).padStart(4, '0');
  const now = Date.now();
  cert.validity.notBefore = opts.notBefore ?? new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = opts.notAfter ?? new Date(now + (opts.days ?? 30) * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: opts.subjectCn }, { name: 'organizationName', value: 'Secure Release Kit test' }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [];
  if (opts.isCa) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true });
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true });
  } else {
    extensions.push({ name: 'basicConstraints', cA: false });
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    extensions.push({ name: 'extKeyUsage', serverAuth: !!opts.serverAltNames, clientAuth: !!opts.clientAuth || !opts.serverAltNames });
  }
  if (opts.hosts) {
    extensions.push({ name: 'subjectAltName', altNames: opts.hosts.map((h) => (/^\d+\.\d+\.\d+\.\d+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })) });
  } else if (opts.serverAltNames) {
    extensions.push({ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(extensions);
  const signingKey = forge.pki.privateKeyFromPem(opts.issuer ? opts.issuer.keyPem : keys.privatePem);
  cert.sign(signingKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    cert,
    certPem,
    keyPem: keys.privatePem,
    thumbprintSha1: crypto.createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: crypto.createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

let cached: TestCa | undefined;

/**
 * The CA and server certificate for this test process. Generated once and cached because RSA key
 * generation plus forge signing costs tens of milliseconds and every emulator shares them.
 */
export function getTestCa(): TestCa {
  if (cached && fs.existsSync(cached.caFile)) {
    return cached;
  }
  const ca = buildCertificate({ subjectCn: 'Secure Release Kit Test Root CA', isCa: true, days: 3650 });
  const server = buildCertificate({ subjectCn: '127.0.0.1', issuer: { cert: ca.cert, keyPem: ca.keyPem }, serverAltNames: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srk-emulators-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, ca.certPem);
  // Synchronous cleanup is all 'exit' allows; it keeps /tmp from filling with one folder per run.
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const result: TestCa = {
    ca: strip(ca),
    server: strip(server),
    caFile,
    dir,
    issueClientCertificate(commonName: string, validity: Validity = {}): KeyedCertificate {
      return strip(buildCertificate({ subjectCn: commonName, issuer: { cert: ca.cert, keyPem: ca.keyPem }, clientAuth: true, ...validity }));
    },
    authority: authorityOf(ca),
    dispose(): void {
      fs.rmSync(dir, { recursive: true, force: true });
      if (cached === result) {
        cached = undefined;
      }
    },
  };
  cached = result;
  return result;
}

function strip(c: KeyedCertificate): KeyedCertificate {
  return { certPem: c.certPem, keyPem: c.keyPem, thumbprintSha1: c.thumbprintSha1, thumbprintSha256: c.thumbprintSha256 };
}

export interface ServicePrincipalCertificate extends KeyedCertificate {
  /** Certificate then private key, as an AzureRM endpoint's servicePrincipalCertificate holds it. */
  combinedPem: string;
}

/** A self-signed certificate as registered on an Entra app ("certificates & secrets"). */
export function createServicePrincipalCertificate(commonName = 'srk-test-spn'): ServicePrincipalCertificate {
  const c = strip(buildCertificate({ subjectCn: commonName, clientAuth: true, days: 365 }));
  return { ...c, combinedPem: c.certPem + c.keyPem };
}

/** SHA-1 and SHA-256 thumbprints of the first certificate in a PEM. */
export function certificateThumbprints(pem: string): { sha1: string; sha256: string } {
  const der = new crypto.X509Certificate(pem).raw;
  return {
    sha1: crypto.createHash('sha1').update(der).digest('hex').toUpperCase(),
    sha256: crypto.createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}
