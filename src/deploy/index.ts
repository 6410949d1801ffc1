// Entry point of the deploy box: cloud assembly → ordered deployments across accounts.
export { planFromAssembly, type PlannedStack } from './plan.js';
export { AssemblyError } from '../assembly/index.js';
export { deployAll, destroyAll, DeployError, type StackDeployer } from './run.js';
export { relayed, toolkitDeployer } from './toolkit.js';
