// The explorer's browser files, bundled from npm packages by esbuild into dist/explorer/<fingerprint>/: GraphiQL
// (React 19, Monaco) and our own client (client/), plus Monaco's editor worker, its JSON worker and monaco-graphql's
// GraphQL worker as files of their own, so the page loads nothing but these from the gateway's origin (GraphiQL's
// default worker setup fetches them from a CDN; client/workers.ts points Monaco here instead).
//
// When it is built: whenever a gateway process first needs it and the folder for the current fingerprint is missing.
// The fingerprint covers what the files are made from (the client's sources, this file, package-lock.json), so a
// fresh clone, a `npm ci` that ran no scripts, an upgraded package or an edited client all rebuild by themselves, and
// an unchanged tree never does. `npm run build:explorer` (bin/build-explorer.ts) builds ahead of time: the
// Dockerfile does so while the image is made, and the test run once before its workers start (vitest's
// globalSetup), so no gateway waits for it there. Processes building at once never see each other's half-written
// files: each builds into a folder of its own and renames it into place; the first rename wins and the others drop
// theirs.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT = fileURLToPath(new URL('./client/', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);
/** Where bundles are kept: gitignored, one folder per fingerprint. */
export const EXPLORER_DIST = join(ROOT, 'dist', 'explorer');

/** The page's entry points: the module the HTML loads, and the workers Monaco starts (client/workers.ts). */
const PAGE_ENTRY = 'explorer';
const WORKERS = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
} as const;

export interface ExplorerBundle {
  /** The folder the files are in, named by the fingerprint. */
  dir: string;
  fingerprint: string;
  /** Every file of the bundle by its name (no sub-folders), for the static route to check a request against. */
  files: ReadonlySet<string>;
  /** The module and style sheet the page names. */
  script: string;
  styles: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** What the bundle is made from, hashed: the client's sources, this build, and every installed package's version. */
export function explorerFingerprint(): string {
  const hash = createHash('sha256');
  for (const path of [...filesUnder(CLIENT), THIS_FILE, join(ROOT, 'package-lock.json')]) {
    hash.update(path.slice(ROOT.length)).update('\0');
    hash.update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Monaco's ESM modules each import their own CSS; graphiql/style.css already holds all of it, so those imports are
 * dropped rather than bundled twice.
 */
const monacoCssIsInGraphiqlStyles: Plugin = {
  name: 'monaco-css-in-graphiql-styles',
  setup(builder) {
    builder.onResolve({ filter: /\.css$/ }, (args) =>
      /[\\/]monaco-editor[\\/]/.test(args.importer) ? { path: args.path, namespace: 'empty-css' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'empty-css' }, () => ({ contents: '', loader: 'css' }));
  },
};

async function buildInto(outdir: string): Promise<void> {
  const common: BuildOptions = {
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    legalComments: 'linked',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    outdir,
  };
  // Workers are classic scripts (one file each): a module worker would need each browser's support for it.
  await build({
    ...common,
    entryPoints: Object.entries(WORKERS).map(([out, source]) => ({ out, in: source })),
    format: 'iife',
  });
  // The page: an ES module, split so that Monaco and prettier (loaded by GraphiQL with import()) come as chunks.
  await build({
    ...common,
    entryPoints: [{ out: PAGE_ENTRY, in: join(CLIENT, 'main.tsx') }],
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    jsx: 'automatic',
    loader: { '.graphql': 'text', '.ttf': 'file', '.woff2': 'file', '.svg': 'file' },
    assetNames: '[name]-[hash]',
    plugins: [monacoCssIsInGraphiqlStyles],
  });
  await compress(outdir);
}

const gzipped = promisify(gzip);

/**
 * Each script and style sheet also gzipped, once, beside itself (name.gz): some megabytes of GraphiQL and Monaco
 * become about a quarter of that on the wire, and the gateway never compresses per request.
 */
async function compress(outdir: string): Promise<void> {
  for (const name of await readdir(outdir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const path = join(outdir, name);
    await writeFile(
      `${path}.gz`,
      await gzipped(await readFile(path), { level: constants.Z_BEST_COMPRESSION }),
    );
  }
}

function describe(dir: string, fingerprint: string): ExplorerBundle {
  const files = new Set(readdirSync(dir));
  const script = `${PAGE_ENTRY}.js`;
  for (const worker of Object.keys(WORKERS))
    if (!files.has(`${worker}.js`)) throw new Error(`explorer bundle lacks ${worker}.js`);
  if (!files.has(script)) throw new Error('explorer bundle lacks its entry module');
  const styles = [...files].filter((name) => name === `${PAGE_ENTRY}.css`);
  return { dir, fingerprint, files, script, styles };
}

export interface EnsureOptions {
  /**
   * Remove the bundles of other fingerprints once this one is in place. Only where no running gateway may still be
   * serving one (bin/build-explorer.ts). @default false
   */
  prune?: boolean;
}

/** Builds the bundle for the current sources unless it exists already; answers where it is. */
export async function ensureExplorerBundle(
  options: EnsureOptions = {},
): Promise<ExplorerBundle & { built: boolean }> {
  const fingerprint = explorerFingerprint();
  const dir = join(EXPLORER_DIST, fingerprint);
  try {
    const existing = describe(dir, fingerprint);
    if (options.prune) await pruneOtherBundles(fingerprint);
    return { ...existing, built: false };
  } catch {
    // Missing or incomplete: build it.
  }
  await mkdir(EXPLORER_DIST, { recursive: true });
  await removeAbandonedBuilds();
  const scratch = join(EXPLORER_DIST, `.building-${fingerprint}-${randomBytes(6).toString('hex')}`);
  try {
    await buildInto(scratch);
    describe(scratch, fingerprint);
    await moveIntoPlace(scratch, dir, fingerprint);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  if (options.prune) await pruneOtherBundles(fingerprint);
  return { ...describe(dir, fingerprint), built: true };
}

/**
 * Renames the fresh build to its place. When a folder is there already, either another process renamed its build
 * first (the same sources, so the same files: keep it, it may be serving) or an earlier build was cut short (replace
 * it).
 */
async function moveIntoPlace(scratch: string, dir: string, fingerprint: string): Promise<void> {
  try {
    await rename(scratch, dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  try {
    describe(dir, fingerprint);
  } catch {
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir);
  }
}

/** A build takes seconds; a scratch folder much older than that is a process's that ended while building. */
const ABANDONED_AFTER_MS = 10 * 60_000;

async function removeAbandonedBuilds(): Promise<void> {
  for (const name of await readdir(EXPLORER_DIST)) {
    if (!name.startsWith('.building-')) continue;
    const path = join(EXPLORER_DIST, name);
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modified > ABANDONED_AFTER_MS)
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Bundles of earlier sources are never served again (the page names the current fingerprint); drop them. */
async function pruneOtherBundles(fingerprint: string): Promise<void> {
  for (const name of await readdir(EXPLORER_DIST)) {
    if (name !== fingerprint && !name.startsWith('.building-'))
      await rm(join(EXPLORER_DIST, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
