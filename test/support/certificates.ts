// Certificates for TLS tests, made with openssl (node:crypto cannot make X.509): a certificate authority of the
// test's own, and server and client certificates that it signs — as a platform with its own CA would issue its
// subgraphs' and its gateway's. Each valid for a day; P-256 keys.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCa {
  certFile: string;
  keyFile: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A certificate authority named `name`, its files in `dir`. */
export function makeTestCa(dir: string, name: string): TestCa {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  openssl([
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  return { certFile, keyFile };
}

/**
 * A certificate signed by `ca`: for a server at 127.0.0.1 (`serverAuth`), or for a client (`clientAuth`, e.g. the
 * gateway presenting itself to the subgraphs). Its certificate and key files.
 */
export function issueCertificate(
  dir: string,
  ca: TestCa,
  name: string,
  usage: 'serverAuth' | 'clientAuth' = 'serverAuth',
): { certFile: string; keyFile: string } {
  const keyFile = join(dir, `${name}.key`);
  const request = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.pem`);
  const extensions = join(dir, `${name}.ext`);
  writeFileSync(
    extensions,
    `${usage === 'serverAuth' ? 'subjectAltName=IP:127.0.0.1\n' : ''}basicConstraints=CA:FALSE\nextendedKeyUsage=${usage}\n`,
  );
  openssl(['req', ...EC_KEY, '-keyout', keyFile, '-out', request, '-subj', `/CN=${name}`]);
  openssl([
    'x509',
    '-req',
    '-in',
    request,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '1',
    '-extfile',
    extensions,
  ]);
  return { certFile, keyFile };
}
