// Entry point of the constructs box: L2 constructs for sharing resources with VPC Lattice.
export * from './resource-gateway.js';
export * from './resource-configuration.js';
export * from './resource-share.js';
export * from './resource-endpoint.js';
export * from './invitation-accepter.js';
export { LatticeValidationError } from './common.js';
export * from './service-network.js';
export * from './private-api-connection.js';
