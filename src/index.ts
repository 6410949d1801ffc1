// lattice-share's library API: config → topology → CDK app → deployment; assembly → model → check; errors, messages.
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
export { loadModel, LoadError } from './model/index.js';
export type { InfraModel } from './model/index.js';
export { check, renderReport, reportLines, parseExpectation, ExpectationError } from './check/index.js';
export type { CheckReport, CheckOptions } from './check/index.js';
export { LatticeShareError, ERROR_CODES, exitStatus, type ErrorCode, type ErrorSource } from './shared/errors.js';
export {
  IoHelper,
  MESSAGE_CODES,
  RecordingIoHost,
  silentHost,
  type IoHost,
  type IoLevel,
  type IoMessage,
  type MessageCode,
} from './shared/io.js';
