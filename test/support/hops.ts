// The hops of a database path through a resource endpoint, in the order a packet meets them. Kept apart from
// src/check's own list (HOPS), and written another way, so that the tests hold check to this order rather than to
// itself: never import it from src.
const IN_PACKET_ORDER =
  'dns route client-egress endpoint-ingress share port-range az target-dns gateway-egress target-ingress listener';

export const DATABASE_PATH_HOPS: readonly string[] = IN_PACKET_ORDER.split(' ');
