import forge from 'node-forge';
import type { KeyedCertificate } from '../ca';

/**
 * A PKCS#12 (PFX) file holding a certificate, its key and optional intermediates, as Windows'
 * Export-PfxCertificate or `openssl pkcs12 -export` would write it. AES-256 is what current
 * exporters use; 3DES is the older default that OpenSSL 3 still reads.
 */
export function toPfx(cert: KeyedCertificate, password: string, options: { chain?: string[]; algorithm?: 'aes256' | '3des' } = {}): Buffer {
  const certs = [cert.certPem, ...(options.chain ?? [])].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(cert.keyPem), certs, password, { algorithm: options.algorithm ?? 'aes256' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
