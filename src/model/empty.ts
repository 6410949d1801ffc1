// A model with nothing in it yet: what the template builder and the live loader fill.
import type { InfraModel } from './types.js';

export const newModel = (): InfraModel => ({
  stacks: [],
  vpcs: [],
  subnets: [],
  securityGroups: [],
  networkAcls: [],
  enis: [],
  instances: [],
  databases: [],
  gateways: [],
  configurations: [],
  shares: [],
  acceptances: [],
  endpoints: [],
  serviceNetworks: [],
  resourceAssociations: [],
  records: [],
  services: [],
  connections: [],
  calls: [],
  expectations: [],
  unmodelled: {},
  warnings: [],
});
