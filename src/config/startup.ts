import { createLogger, type Logger } from '../observability/logger';
import { loadConfig, type Config } from './load-config';

/**
 * What every entry point does first: read and validate the config, then say (by variable
 * name, never value) what was trimmed and which development-only defaults are in use.
 */
export function configureService(name: string): { config: Config; logger: Logger } {
  const { config, warnings } = loadConfig();
  const logger = createLogger({ level: config.logLevel, name });
  for (const warning of warnings) logger.warn({ variable: warning.variable }, warning.message);
  if (config.developmentDefaults.length > 0) {
    logger.warn({ variables: config.developmentDefaults }, 'DEVELOPMENT-ONLY defaults in use; never run production like this');
  }
  return { config, logger };
}
