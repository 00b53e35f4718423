import { generate } from 'selfsigned';

export interface SimCertificate {
  /** PEM of the certificate clients trust (`tlsOptions.ca`). */
  cert: string;
  /** PEM private key of the server. */
  key: string;
}

/**
 * A self-signed, CA-like certificate for 127.0.0.1 / localhost, made at start. Being its own CA,
 * it can be passed as `tlsOptions.ca` so the Azure SDK's real bearer-token policy (https only) runs.
 */
export async function makeCertificate(): Promise<SimCertificate> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'aks-day2 simulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 24 * 3600_000),
    notAfterDate: new Date(now.getTime() + 30 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
