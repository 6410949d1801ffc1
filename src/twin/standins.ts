// Stand-ins for the twin: a cluster the templates import by ARN and endpoints has no instance the model can place, so
// the twin runs one for it. Each gets a DB instance at a free address of the cluster's VPC (in its first subnet with a
// known range, skipping the four addresses AWS reserves at the start and the last one), under the cluster's security
// groups, with its names and port. It stands for the real cluster, whose data stays in AWS: `up` and `status` say so.
// Pure: the model in, a model with the stand-ins' ENIs out.
import { cidrBounds, hex, intToIp } from '../shared/index.js';
import { unknownIn } from '../model/queries.js';
import type { Database, Eni, InfraModel } from '../model/index.js';

export interface StandIn {
  /** The imported cluster's ID. */
  readonly database: string;
  readonly eniId: string;
  readonly ip: string;
}

/** The model with an instance for every imported cluster the twin can place, and which ones it made. */
export function withStandIns(m: InfraModel): { model: InfraModel; standIns: StandIn[] } {
  const used = new Set(m.enis.flatMap((e) => [e.ip, ...e.secondaryIps].filter((ip): ip is string => !!ip)));
  const standIns: StandIn[] = [];
  const enis: Eni[] = [];
  const databases = m.databases.map((db): Database => {
    const eni = db.created || db.eniIds.length ? undefined : standInEni(m, db, used);
    if (!eni?.ip) return db;
    used.add(eni.ip);
    enis.push(eni);
    standIns.push({ database: db.id, eniId: eni.id, ip: eni.ip });
    return { ...db, eniIds: [eni.id] };
  });
  return standIns.length
    ? { model: { ...m, databases, enis: [...m.enis, ...enis] }, standIns }
    : { model: m, standIns };
}

/** An ENI in the first subnet of the cluster's VPC that has a range and a free address; none when there is none. */
function standInEni(m: InfraModel, db: Database, used: ReadonlySet<string>): Eni | undefined {
  for (const subnet of m.subnets.filter((s) => s.vpcId && s.vpcId === db.vpcId)) {
    if (!subnet.cidr || unknownIn(subnet.cidr)) continue;
    const [first, last] = cidrBounds(subnet.cidr);
    for (let n = first + 4; n < last; n++) {
      const ip = intToIp(n);
      if (used.has(ip)) continue;
      return {
        id: `eni-standin-${hex(db.id, 12)}`,
        subnetId: subnet.id,
        vpcId: subnet.vpcId,
        ...(subnet.az ? { az: subnet.az } : {}),
        ...(subnet.azId ? { azId: subnet.azId } : {}),
        ip,
        secondaryIps: [],
        securityGroupIds: db.securityGroupIds,
        owner: { kind: 'database', id: db.id, cluster: db.id },
      };
    }
  }
  return undefined;
}
