export { loadConfig, ConfigError, REQUIRED_IN_PRODUCTION } from './load-config';
export type { Config, ConfigWarning } from './load-config';
