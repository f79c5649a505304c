// Where Monaco starts its web workers: the files bundle.ts built beside this module, on the gateway's own origin.
// (GraphiQL's `graphiql/setup-workers/esm.sh` would load them from a CDN; the platform never sends a browser there.)
// Monaco asks for a worker by label: 'json' for the variables and headers editors, 'graphql' for monaco-graphql's
// language service, anything else for its editor worker.
const workerFor = (name: string) => new Worker(new URL(`./${name}.js`, import.meta.url), { name });

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_moduleId: string, label: string): Worker {
    if (label === 'json') return workerFor('json.worker');
    if (label === 'graphql') return workerFor('graphql.worker');
    return workerFor('editor.worker');
  },
};

export {};
