// What a call that failed leaves unknown, so that check says UNKNOWN instead of deciding over what is missing: an
// account whose interfaces could not be listed has VPCs whose contents are not known (as a VPC a template only
// references), and a cluster RDS could not describe is known only by what VPC Lattice says of it (its names and port
// from the configuration's children), with its instances' places unknown.
import type { Configuration, Database, InfraModel } from '../types.js';
import type { LiveProblem } from './calls.js';
import type { Mutable } from './reading.js';

const failed = (problems: readonly LiveProblem[], call: string) =>
  new Set(problems.filter((p) => p.call === call).map((p) => p.account));

export function markUnknown(model: Mutable<InfraModel>, problems: readonly LiveProblem[]): void {
  const noInterfaces = failed(problems, 'ec2:DescribeNetworkInterfaces');
  model.vpcs = model.vpcs.map((v) => (noInterfaces.has(v.account) ? { ...v, created: false } : v));
  const noClusters = new Set([
    ...failed(problems, 'rds:DescribeDBClusters'),
    ...failed(problems, 'rds:DescribeDBInstances'),
  ]);
  for (const c of model.configurations) {
    const arn = c.definition && 'arn' in c.definition ? c.definition.arn : undefined;
    const account = arn?.split(':')[4];
    if (!arn || !/^arn:[\w-]+:rds:/.test(arn) || !account || !noClusters.has(account)) continue;
    if (model.databases.some((d) => d.arn === arn)) continue;
    model.databases.push(clusterFromLattice(model, c, arn, account));
  }
}

/** A cluster as its configuration's children name it: the writer's name and the reader's (`.cluster-ro-`). */
function clusterFromLattice(model: InfraModel, c: Configuration, arn: string, account: string): Database {
  const children = model.configurations.filter((x) => x.groupId === c.id);
  const names = children.map((x) => (x.definition && 'dns' in x.definition ? x.definition.dns : ''));
  return {
    id: arn.split(':').pop() ?? arn,
    arn,
    account,
    engine: '',
    port: Number(children[0]?.portRanges[0]?.split('-')[0] ?? 0),
    writerName: names.find((n) => n && !n.includes('.cluster-ro-')) ?? '',
    readerName: names.find((n) => n.includes('.cluster-ro-')) ?? '',
    securityGroupIds: [],
    eniIds: [],
    publiclyAccessible: false,
    created: false,
    ...(c.source ? { source: c.source } : {}),
  };
}
