// What every entry point shares: read and validate the environment once, log, and stop cleanly on Ctrl-C.
import { ConfigError, loadConfig, type Config } from '../common/config.ts';
import { createLogger, type Logger } from '../common/logger.ts';

export async function run(
  name: string,
  main: (config: Config, logger: Logger) => Promise<() => Promise<void>>,
) {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel, name });
  let stop: () => Promise<void>;
  try {
    stop = await main(config, logger);
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
