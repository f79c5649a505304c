// npm run start:gateway: the gateway alone, calling the subgraphs at the configured *_URL addresses.
import { buildGateway } from '../gateway/index.ts';
import { run } from './run.ts';

await run('fiks-gateway', async (config, logger) => {
  const { app } = await buildGateway(config, logger);
  const address = await app.listen({ host: config.gateway.host, port: config.gateway.port });
  console.log(`Fiks Gateway is running at ${address}/graphql`);
  return () => app.close();
});
