// The hops of a database path through a resource endpoint, in the order a packet meets them: written out here, apart
// from src/check's own list, so that the tests hold check to it rather than to itself.
export const DATABASE_PATH_HOPS = [
  'dns',
  'route',
  'client-egress',
  'endpoint-ingress',
  'share',
  'port-range',
  'az',
  'target-dns',
  'gateway-egress',
  'target-ingress',
  'listener',
] as const;
