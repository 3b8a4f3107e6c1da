export { loadConfig, ConfigError } from './load-config';
export type { Config, ConfigWarning } from './load-config';
