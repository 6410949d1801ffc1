// lattice-share's library API: config → topology → CDK app → deployment.
export { loadConfig, parseConfig, ConfigError, formatDiagnostic } from './config/index.js';
export type * from './config/topology.js';
export { buildApp, OwnerStack, ConsumerStack, type BuildOptions, type BuiltApp } from './app/index.js';
export {
  planFromAssembly,
  deployAll,
  destroyAll,
  toolkitDeployer,
  type StackDeployer,
  type PlannedStack,
} from './deploy/index.js';
export * as constructs from './constructs/index.js';
