// npm run docker:env: writes .env beside docker-compose.yml with the keys its two gateway replicas must share — the
// caller-token signing key (the subgraphs trust one key, whichever replica signed) and the session key (a session
// made through one replica is opened by the other). Keeps an existing .env: new keys would end every session and
// invalidate tokens in flight.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';

const FILE = '.env';

if (existsSync(FILE)) {
  console.log(`${FILE} exists; kept as it is.`);
} else {
  const callerKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const lines = [
    '# Written by `npm run docker:env` for docker-compose.yml. Secret: never commit it.',
    `CALLER_SIGNING_KEY=${JSON.stringify(callerKey)}`,
    `SESSION_ENCRYPTION_KEY=${randomBytes(32).toString('base64url')}`,
    '',
  ];
  writeFileSync(FILE, lines.join('\n'), { mode: 0o600 });
  console.log(`Wrote ${FILE} (mode 0600). Now: docker compose up --build`);
}
