// Entry point of check's path tracing: follows a connection (client, name, port) hop by hop over the model: DNS,
// routing, security groups, the endpoint, the share, the Lattice hop, the gateway and the target. An implementation
// of the same semantics as the twin, written apart from it: the agreement test compares the two.
export { traceCall, type Call } from './call.js';
export { trace } from './trace.js';
