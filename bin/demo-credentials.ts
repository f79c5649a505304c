// The demo integration's credentials that `npm start` left in the data folder, for the demo commands
// (demo:integration, demo:documents); exits with a hint when the platform has not been started.
import { readFile } from 'node:fs/promises';
import { demoCredentialsFile, type DemoIntegrationCredentials } from '../platform/demo.ts';

export async function readDemoCredentials(pgliteDir: string): Promise<DemoIntegrationCredentials> {
  const file = demoCredentialsFile(pgliteDir);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoIntegrationCredentials;
  } catch {
    console.error(`No demo credentials in ${file}: start the platform with \`npm start\` first.`);
    process.exit(1);
  }
}
