// Generated topologies for the benchmarks: the seed's synthesized stacks cloned, owner stack i (one VPC, gateway,
// Aurora, share) in account 1000000000xx, consumer stack j (two VPCs, three workloads, two endpoints) in account
// 2000000000xx fed by owner j mod owners, plus 16 extra rules per consumer. Written as a cloud assembly under `work`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Template = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Metadata?: Record<string, unknown>;
};

export function generateAssembly(seedDir: string, work: string, owners: number, consumerStacks: number): string {
  const read = (stack: string) => readFileSync(join(seedDir, `${stack}.template.json`), 'utf8');
  const owner = read('LatticeShare-owner-owner');
  const consumer = read('LatticeShare-partner-consumer');
  const dir = join(work, `o${owners}-c${consumerStacks}`);
  mkdirSync(dir);
  const artifacts: Record<string, unknown> = {};
  const ownerName = (i: number) => `Big-o${i}-owner`;
  const accountOf = (base: number, i: number) => String(base + i);
  for (let i = 0; i < owners; i++) {
    const t = JSON.parse(owner.replaceAll('111111111111', accountOf(100000000000, i))) as Template;
    const mine = Array.from({ length: consumerStacks }, (_, j) => j)
      .filter((j) => j % owners === i)
      .map((j) => accountOf(200000000000, j));
    for (const r of Object.values(t.Resources))
      if (r.Type === 'AWS::RAM::ResourceShare') r.Properties!.Principals = mine;
    writeFileSync(join(dir, `${ownerName(i)}.template.json`), JSON.stringify(t));
    artifacts[ownerName(i)] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${accountOf(100000000000, i)}/us-east-1`,
      properties: { templateFile: `${ownerName(i)}.template.json` },
    };
  }
  for (let j = 0; j < consumerStacks; j++) {
    const name = `Big-c${j}-consumer`;
    const t = JSON.parse(
      consumer
        .replaceAll('222222222222', accountOf(200000000000, j))
        .replaceAll('111111111111', accountOf(100000000000, j % owners)),
    ) as Template;
    const inputs = t.Metadata!['lattice-share:inputs'] as Record<string, { stack: string }>;
    for (const input of Object.values(inputs)) input.stack = ownerName(j % owners);
    const other = Object.keys(t.Resources).find((id) => id.startsWith('OtherSecurityGroup'))!;
    for (let k = 0; k < 16; k++) {
      t.Resources[`Extra${k}`] = {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: {
          GroupId: { 'Fn::GetAtt': [other, 'GroupId'] },
          IpProtocol: 'tcp',
          FromPort: 1000 + k,
          ToPort: 1000 + k,
          CidrIp: `10.${k}.0.0/16`,
        },
      };
    }
    writeFileSync(join(dir, `${name}.template.json`), JSON.stringify(t));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${accountOf(200000000000, j)}/us-east-1`,
      properties: { templateFile: `${name}.template.json` },
      dependencies: [ownerName(j % owners)],
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return dir;
}
