// Cross-reference checks and defaults: RawConfig (shape-checked) → Topology.
import { inCidr, publicName } from '../shared/index.js';
import { defaultZones, REGIONS, zoneExists } from '../shared/regions.js';
import type { Problem } from './errors.js';
import { closest } from './locate.js';
import type { RawConfig } from './schema.js';
import {
  defaultPort,
  type Account,
  type Caller,
  type Consumer,
  type Network,
  type Principal,
  type ServiceNetwork,
  type Share,
  type SharedResource,
  type Target,
  type Topology,
  type Workload,
} from './topology.js';

const PRIVATE_V4 = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
const isPrivate = (addr: string) => PRIVATE_V4.some((cidr) => inCidr(addr, cidr));

/** A fix that can work for a VPC too small for one subnet per zone: a subnet mask that fits, or a larger VPC. */
function roomFix(prefix: number, subnets: number, mask: number): string {
  const bits = Math.ceil(Math.log2(subnets));
  const larger = `use a CIDR of /${mask - bits} or larger to keep /${mask} subnets`;
  const largest = prefix + bits; // the smallest subnets that still fit them all (AWS allows /28 at most)
  return largest <= 28 ? `set subnetMask: ${largest}, or ${larger}` : larger;
}

/** Entries by name, for lookups in time independent of the number of entries. */
const byName = <T extends { readonly name: string }>(list: T[]): Map<string, T> =>
  new Map(list.map((x) => [x.name, x]));

export function resolve(raw: RawConfig, source: string): { topology?: Topology; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (path: (string | number)[], message: string, fix?: string, at?: 'key' | 'value') =>
    problems.push({ path, message, fix, at });
  const refCheck = (path: (string | number)[], kind: string, value: string, names: ReadonlySet<string>): boolean => {
    if (names.has(value)) return true;
    const near = closest(value, [...names]);
    const listed = names.size <= 20 ? `use one of: ${[...names].join(', ')}` : `define it under ${kind}s:`;
    bad(
      path,
      `unknown ${kind} "${value}"`,
      near ? `did you mean "${near}"?` : names.size ? listed : `define it under ${kind}s:`,
    );
    return false;
  };

  const organization = raw.organization && {
    ...raw.organization,
    arn: `arn:aws:organizations::${raw.organization.managementAccount}:organization/${raw.organization.id}`,
  };

  const region = REGIONS[raw.region];
  if (!region) {
    const near = closest(raw.region, Object.keys(REGIONS));
    bad(
      ['region'],
      `"${raw.region}" is not an AWS Region`,
      near ? `did you mean "${near}"?` : `use one of: ${Object.keys(REGIONS).join(', ')}`,
    );
  }
  /** Why a zone name is wrong in the config's Region, or undefined when it exists. */
  const zoneProblem = (zone: string): [string, string] | undefined => {
    if (zoneExists(raw.region, zone)) return undefined;
    const zones = defaultZones(raw.region, region?.letters.length ?? 0).join(', ');
    return zone.startsWith(raw.region) && region
      ? [`availability zone ${zone} does not exist in region ${raw.region}`, `use one of: ${zones}`]
      : [
          `availability zone ${zone} is not in region ${raw.region}`,
          region ? `use a zone of ${raw.region}: ${zones}` : `use a zone of ${raw.region}`,
        ];
  };

  // accounts
  const accounts: Account[] = [];
  const seenIds = new Map<string, string>();
  for (const [name, a] of Object.entries(raw.accounts)) {
    if (seenIds.has(a.id))
      bad(
        ['accounts', name, 'id'],
        `account ID ${a.id} is already used by account "${seenIds.get(a.id)}"`,
        'give each account its own ID',
      );
    seenIds.set(a.id, name);
    if (a.organizationalUnit && !a.inOrganization)
      bad(
        ['accounts', name, 'organizationalUnit'],
        'an account outside the organization cannot be in an OU',
        'set inOrganization: true or remove organizationalUnit',
      );
    if (a.inOrganization && !organization)
      bad(
        ['accounts', name, 'inOrganization'],
        'inOrganization needs the top-level organization block',
        'add organization: { id: o-…, managementAccount: "…" }',
      );
    accounts.push({ name, ...a });
  }
  const accountNames = new Set(accounts.map((a) => a.name));
  const accountByName = byName(accounts);

  // networks
  const networks: Network[] = [];
  for (const [name, n] of Object.entries(raw.networks)) {
    const at = ['networks', name];
    refCheck([...at, 'account'], 'account', n.account, accountNames);
    if (n.vpcId) {
      for (const k of ['azs', 'availabilityZones', 'subnetMask'] as const) {
        if (n[k] !== undefined)
          bad(
            [...at, k],
            `${k} applies to new networks only, not to an imported VPC`,
            'remove it: the imported subnets give the zones',
            'key',
          );
      }
      if (!n.subnets) {
        bad(
          at,
          'an imported network (vpcId) needs its subnets',
          'add subnets: [{ id: subnet-…, az: …, cidr: … }]',
          'key',
        );
        continue;
      }
      n.subnets.forEach((s, i) => {
        if (!inCidr(s.cidr.split('/')[0]!, n.cidr))
          bad(
            [...at, 'subnets', i, 'cidr'],
            `subnet CIDR ${s.cidr} is outside the VPC CIDR ${n.cidr}`,
            'use a subnet range inside the VPC CIDR',
          );
        const wrongZone = zoneProblem(s.az);
        if (wrongZone) bad([...at, 'subnets', i, 'az'], ...wrongZone);
      });
      networks.push({
        kind: 'imported',
        name,
        account: n.account,
        cidr: n.cidr,
        vpcId: n.vpcId,
        subnets: n.subnets,
        availabilityZones: [...new Set(n.subnets.map((s) => s.az))],
        dnsSupport: n.dnsSupport ?? true,
      });
    } else {
      for (const k of ['subnets', 'dnsSupport'] as const) {
        if (n[k] !== undefined)
          bad(
            [...at, k],
            `${k} applies to imported networks only (with vpcId)`,
            'remove it, or add vpcId to import an existing VPC',
            'key',
          );
      }
      let zones = n.availabilityZones;
      if (zones && n.azs !== undefined && zones.length !== n.azs)
        bad([...at, 'azs'], `azs is ${n.azs} but availabilityZones lists ${zones.length}`, 'keep one of the two');
      zones?.forEach((z, i) => {
        const wrongZone = zoneProblem(z);
        if (wrongZone) bad([...at, 'availabilityZones', i], ...wrongZone);
      });
      if (region && (n.azs ?? 0) > region.zones)
        bad(
          [...at, 'azs'],
          `region ${raw.region} has ${region.zones} availability zones; azs: ${n.azs} asks for more`,
          `set azs to at most ${region.zones}`,
        );
      zones ??= defaultZones(raw.region, n.azs ?? 2);
      const mask = n.subnetMask ?? 24;
      const prefix = Number(n.cidr.split('/')[1]);
      if (2 ** (mask - prefix) < zones.length)
        bad(
          [...at, 'subnetMask'],
          `a /${prefix} VPC has no room for ${zones.length} subnets of /${mask}`,
          roomFix(prefix, zones.length, mask),
        );
      networks.push({
        kind: 'new',
        name,
        account: n.account,
        cidr: n.cidr,
        availabilityZones: zones,
        subnetMask: mask,
      });
    }
  }
  // References are checked against every declared name, so one broken entry does not cascade.
  const networkNames = new Set(Object.keys(raw.networks));
  const networkByName = byName(networks);
  const networkOf = (name: string) => networkByName.get(name);

  // resources
  const resources: SharedResource[] = [];
  const checkTarget = (
    path: (string | number)[],
    t: { dns?: string; ip?: string },
    network?: Network,
  ): Target | undefined => {
    if ((t.dns === undefined) === (t.ip === undefined)) {
      bad(path, 'a target needs exactly one of dns or ip', 'write target: { dns: name } or target: { ip: address }');
      return undefined;
    }
    if (t.ip !== undefined) {
      if (!isPrivate(t.ip))
        bad(
          [...path, 'ip'],
          `IP target ${t.ip} is not a private address; AWS accepts only 10/8, 100.64/10, 172.16/12, 192.168/16`,
          'use the private address of the target',
        );
      else if (network && !inCidr(t.ip, network.cidr))
        bad(
          [...path, 'ip'],
          `IP target ${t.ip} is outside network "${network.name}" (${network.cidr})`,
          'use an address inside the VPC that holds the target',
        );
      return { ip: t.ip };
    }
    return { dns: t.dns! };
  };
  for (const [name, r] of Object.entries(raw.resources)) {
    const at = ['resources', name];
    const network = refCheck([...at, 'network'], 'network', r.network, networkNames) ? networkOf(r.network) : undefined;
    if (r.type === 'aurora-postgresql' || r.type === 'aurora-mysql') {
      if ((r.create === undefined) === (r.import === undefined)) {
        bad(
          at,
          `database "${name}" needs exactly one of create or import`,
          'add create: {} for a new cluster, or import: { arn, writerEndpoint, securityGroupIds } for an existing one',
          'key',
        );
        continue;
      }
      if (r.customDomains && r.expose !== 'dns')
        bad(
          [...at, 'customDomains'],
          "custom domains apply to expose: dns only; an ARN-type configuration keeps the cluster's own names",
          'set expose: dns or remove customDomains',
          'key',
        );
      if (r.create && network && network.availabilityZones.length < 2)
        bad(
          [...at, 'network'],
          `network "${network.name}" has ${network.availabilityZones.length} availability zone; an Aurora cluster needs subnets in at least 2`,
          `set azs: 2 or more on network "${network.name}"`,
        );
      let imported;
      if (r.import) {
        const [, , , region, accountId, , clusterIdentifier] = r.import.arn.split(':');
        if (region !== raw.region)
          bad(
            [...at, 'import', 'arn'],
            `cluster region ${region} differs from the config region ${raw.region}`,
            'share a cluster of the config region',
          );
        const acct = network && accountByName.get(network.account);
        if (acct && accountId !== acct.id)
          bad(
            [...at, 'import', 'arn'],
            `cluster account ${accountId} differs from account "${acct.name}" (${acct.id}) that owns network "${network!.name}"`,
            'put the resource on a network of the account that owns the cluster',
          );
        imported = { ...r.import, clusterIdentifier: clusterIdentifier! };
      }
      resources.push({
        kind: 'database',
        name,
        network: r.network,
        engine: r.type,
        expose: r.expose,
        port: r.port ?? defaultPort(r.type),
        customDomains: r.customDomains,
        import: imported,
        create: r.create && {
          ...r.create,
          engineVersion: r.create.engineVersion ?? (r.type === 'aurora-mysql' ? '3.08.2' : '16.6'),
        },
      });
    } else if (r.type === 'tcp') {
      const target = checkTarget([...at, 'target'], r.target, network);
      if (target && 'dns' in target && !r.securityGroupIds?.length)
        bad(
          [...at, 'securityGroupIds'],
          `tcp resource "${name}" with a DNS target needs the target's security group IDs so the gateway may reach it`,
          'add securityGroupIds: [sg-…] (the security groups of the target)',
          'key',
        );
      if (target)
        resources.push({
          kind: 'tcp',
          name,
          network: r.network,
          target,
          ports: r.ports,
          customDomain: r.customDomain,
          securityGroupIds: r.securityGroupIds ?? [],
        });
    } else if (r.type === 'https') {
      if (!r.server && !r.securityGroupIds?.length)
        bad(
          at,
          `https resource "${name}" needs either server (a demo API server) or securityGroupIds (of the existing server behind ${r.domain})`,
          'add server: { hostedZoneId: Z… } or securityGroupIds: [sg-…]',
          'key',
        );
      if (r.server && r.securityGroupIds)
        bad(
          [...at, 'securityGroupIds'],
          'securityGroupIds are for an existing server; a demo server gets its own group',
          'remove securityGroupIds or server',
          'key',
        );
      resources.push({
        kind: 'https',
        name,
        network: r.network,
        domain: r.domain,
        port: r.port,
        customDomain: r.customDomain,
        server: r.server,
        securityGroupIds: r.securityGroupIds ?? [],
      });
    } else {
      const members: { name: string; target: Target; customDomain?: string; ports?: string[] }[] = [];
      for (const [m, spec] of Object.entries(r.members)) {
        const target = checkTarget([...at, 'members', m, 'target'], spec.target, network);
        if (name.length + 1 + m.length > 40)
          bad(
            [...at, 'members', m],
            `member configuration name "${name}-${m}" is longer than the 40 characters VPC Lattice allows`,
            'use a shorter group or member name',
            'key',
          );
        if (spec.customDomain && r.groupDomain && !spec.customDomain.endsWith(`.${r.groupDomain}`))
          bad(
            [...at, 'members', m, 'customDomain'],
            `member domain ${spec.customDomain} is not a subdomain of groupDomain ${r.groupDomain}`,
            `use a name ending in .${r.groupDomain}`,
          );
        if (target) members.push({ name: m, target, customDomain: spec.customDomain, ports: spec.ports });
      }
      if (members.some((m) => 'dns' in m.target) && !r.securityGroupIds?.length)
        bad(
          [...at, 'securityGroupIds'],
          `group "${name}" has DNS targets; it needs their security group IDs so the gateway may reach them`,
          'add securityGroupIds: [sg-…]',
          'key',
        );
      resources.push({
        kind: 'group',
        name,
        network: r.network,
        ports: r.ports,
        groupDomain: r.groupDomain,
        securityGroupIds: r.securityGroupIds ?? [],
        members,
      });
    }
  }
  const resourceNames = new Set(Object.keys(raw.resources));
  const resourceByName = byName(resources);
  const ownerOf = (resource: string) => {
    const r = resourceByName.get(resource);
    const n = r && networkOf(r.network);
    return n?.account;
  };

  /** Principals of a share or a service network: account names, OU IDs, or "organization". */
  function principalsOf(list: string[], at: (string | number)[], owner: string): Principal[] {
    const principals: Principal[] = [];
    list.forEach((p, i) => {
      const path = [...at, 'with', i];
      if (p === 'organization') {
        if (!organization)
          bad(
            path,
            'sharing with "organization" needs the top-level organization block',
            'add organization: { id: o-…, managementAccount: "…" }',
          );
        else principals.push({ kind: 'organization', arn: organization.arn });
      } else if (p.startsWith('ou-')) {
        if (!/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(p))
          bad(path, `"${p}" is not an OU ID`, 'write it as ou-<root>-<suffix>, e.g. ou-ab12-cdef3456');
        else if (!organization)
          bad(
            path,
            'sharing with an OU needs the top-level organization block',
            'add organization: { id: o-…, managementAccount: "…" }',
          );
        else
          principals.push({
            kind: 'ou',
            id: p,
            arn: `arn:aws:organizations::${organization.managementAccount}:ou/${organization.id}/${p}`,
          });
      } else if (refCheck(path, 'account', p, accountNames)) {
        if (p === owner)
          bad(path, `account "${p}" owns what is shared; sharing with yourself is not needed`, 'remove it from with:');
        else principals.push({ kind: 'account', account: p });
      }
    });
    return principals;
  }

  // shares
  const shares: Share[] = [];
  for (const [name, s] of Object.entries(raw.shares)) {
    const at = ['shares', name];
    const owners = new Set<string>();
    s.resources.forEach((r, i) => {
      if (refCheck([...at, 'resources', i], 'resource', r, resourceNames)) {
        const o = ownerOf(r);
        if (o) owners.add(o);
      }
    });
    if (owners.size > 1)
      bad(
        [...at, 'resources'],
        `share "${name}" mixes resources of accounts ${[...owners].join(', ')}; a RAM share belongs to one account`,
        'split it into one share per owner account',
      );
    const owner = [...owners][0] ?? '';
    const principals = principalsOf(s.with, at, owner);
    const external = principals.filter((p) => p.kind === 'account' && !accountByName.get(p.account)?.inOrganization);
    if (s.allowExternalPrincipals === false && external.length)
      bad(
        [...at, 'allowExternalPrincipals'],
        `allowExternalPrincipals is false but ${external.map((p) => `"${(p as { account: string }).account}"`).join(', ')} is outside the organization`,
        'set allowExternalPrincipals: true or mark the account inOrganization: true',
      );
    shares.push({
      name,
      owner,
      resources: s.resources,
      principals,
      allowExternalPrincipals: s.allowExternalPrincipals ?? external.length > 0,
    });
  }

  // workloads
  const workloads: Workload[] = [];
  for (const [name, w] of Object.entries(raw.workloads)) {
    refCheck(['workloads', name, 'network'], 'network', w.network, networkNames);
    workloads.push({ name, network: w.network, instanceType: w.instanceType });
  }
  const workloadNames = new Set(workloads.map((w) => w.name));
  const workloadByName = byName(workloads);
  // Who receives what, indexed: a share's resources and account principals, the shares of each resource.
  const sharesOf = new Map<string, Share[]>();
  for (const share of shares)
    for (const r of new Set(share.resources)) sharesOf.set(r, [...(sharesOf.get(r) ?? []), share]);
  const accountsOf = new Map(
    shares.map((share) => [share, new Set(share.principals.flatMap((p) => (p.kind === 'account' ? [p.account] : [])))]),
  );
  const groupsOf = new Map(shares.map((share) => [share, share.principals.filter((p) => p.kind !== 'account')]));

  /**
   * How `account` receives `resource` through RAM: no share in the owner's account, else the share and whether an
   * invitation must be accepted.
   */
  const receive = (
    resource: string,
    account: Account,
    path: (string | number)[],
    who: string,
  ): { share?: Share; accept: boolean } | undefined => {
    if (ownerOf(resource) === account.name) return { accept: false };
    const covering = sharesOf.get(resource) ?? [];
    const byAccount = covering.find((s) => accountsOf.get(s)!.has(account.name));
    const byOrg = covering.find((s) =>
      groupsOf
        .get(s)!
        .some(
          (p) =>
            (p.kind === 'organization' && account.inOrganization) ||
            (p.kind === 'ou' && account.inOrganization && p.id === account.organizationalUnit),
        ),
    );
    const share = byOrg ?? byAccount;
    if (!share) {
      const hint = covering.length
        ? `add "${account.name}" to shares.${covering[0]!.name}.with`
        : `add a share: shares: { ${resource}: { resources: [${resource}], with: [${account.name}] } }`;
      bad(path, `account "${account.name}" of ${who} is not in any share of resource "${resource}"`, hint);
      return undefined;
    }
    return { share, accept: !byOrg && !account.inOrganization };
  };
  const accountOf = (name: string) => accountByName.get(name);

  // service networks
  const serviceNetworks: ServiceNetwork[] = [];
  for (const [name, n] of Object.entries(raw.serviceNetworks)) {
    const at = ['serviceNetworks', name];
    if (!refCheck([...at, 'account'], 'account', n.account, accountNames)) continue;
    const account = accountOf(n.account)!;
    const acceptShares = new Set<string>();
    n.resources.forEach((r, i) => {
      if (!refCheck([...at, 'resources', i], 'resource', r, resourceNames)) return;
      const got = receive(r, account, [...at, 'resources', i], `service network "${name}"`);
      if (got?.accept && got.share) acceptShares.add(got.share.name);
    });
    const principals = principalsOf(n.with, at, n.account);
    const external = principals.some((p) => p.kind === 'account' && !accountOf(p.account)?.inOrganization);
    if (n.allowExternalPrincipals === false && external)
      bad(
        [...at, 'allowExternalPrincipals'],
        'allowExternalPrincipals is false but the network is shared with an account outside the organization',
        'set allowExternalPrincipals: true or mark the account inOrganization: true',
      );
    serviceNetworks.push({
      name,
      account: n.account,
      resources: n.resources,
      privateDns: n.privateDns,
      principals,
      allowExternalPrincipals: n.allowExternalPrincipals ?? external,
      acceptShares: [...acceptShares],
    });
  }
  const serviceNetworkNames = new Set(Object.keys(raw.serviceNetworks));
  const serviceNetworkByName = byName(serviceNetworks);

  // consumers
  const consumers: Consumer[] = [];
  const associations = new Map<string, string>();
  for (const [name, c] of Object.entries(raw.consumers)) {
    const at = ['consumers', name];
    const netOk = refCheck([...at, 'network'], 'network', c.network, networkNames);
    if ((c.resource === undefined) === (c.serviceNetwork === undefined)) {
      bad(
        at,
        `consumer "${name}" needs exactly one of resource (a resource endpoint) or serviceNetwork`,
        'add resource: <name>, or serviceNetwork: <name> with via: endpoint | association',
        'key',
      );
      continue;
    }
    if (c.via && !c.serviceNetwork)
      bad(
        [...at, 'via'],
        'via applies to service-network consumers only',
        'remove via, or use serviceNetwork: instead of resource:',
        'key',
      );
    c.clients.workloads.forEach((w, i) => {
      if (!refCheck([...at, 'clients', 'workloads', i], 'workload', w, workloadNames)) return;
      const wl = workloadByName.get(w)!;
      if (networkNames.has(wl.network) && wl.network !== c.network)
        bad(
          [...at, 'clients', 'workloads', i],
          `workload "${w}" is in network "${wl.network}", not in the consumer's network "${c.network}"`,
          'list only workloads of the same network: security-group references work inside one VPC',
        );
    });
    if (!c.clients.workloads.length && !c.clients.securityGroupIds.length)
      bad(
        [...at, 'clients'],
        `consumer "${name}" names no clients, so nothing may use its endpoint`,
        'list workloads or securityGroupIds under clients',
        'key',
      );
    const consumerNet = networkOf(c.network);
    const account = consumerNet && accountOf(consumerNet.account);
    if (!netOk || !consumerNet || !account) continue;
    if (c.privateDns && consumerNet.kind === 'imported' && !consumerNet.dnsSupport)
      bad(
        [...at, 'privateDns'],
        `private DNS needs DNS support and DNS hostnames on network "${c.network}"`,
        'enable both VPC attributes, or set privateDns: false',
      );
    const base = {
      name,
      network: c.network,
      privateDns: c.privateDns,
      clientWorkloads: c.clients.workloads,
      clientSecurityGroupIds: c.clients.securityGroupIds,
    };

    if (c.serviceNetwork !== undefined) {
      if (!refCheck([...at, 'serviceNetwork'], 'service network', c.serviceNetwork, serviceNetworkNames)) continue;
      const sn = serviceNetworkByName.get(c.serviceNetwork);
      if (!sn) continue;
      const via = c.via ?? 'endpoint';
      if (via === 'association') {
        if (associations.has(c.network)) {
          bad(
            [...at, 'network'],
            `network "${c.network}" is already associated with a service network (consumer "${associations.get(c.network)}"): a VPC takes one service-network association`,
            'use via: endpoint for the second network',
          );
          continue;
        }
        associations.set(c.network, name);
      }
      for (const r of sn.resources) {
        const net = networkOf(resourceByName.get(r)?.network ?? '');
        if (net?.name === c.network)
          bad(
            [...at, 'network'],
            `network "${c.network}" holds the gateway of resource "${r}" of service network "${sn.name}": AWS carries nothing to the gateway's own VPC`,
            'reach it directly there, or use another network',
          );
      }
      let accept = false;
      if (account.name !== sn.account) {
        const byAccount = sn.principals.some((p) => p.kind === 'account' && p.account === account.name);
        const byOrg = sn.principals.some(
          (p) =>
            (p.kind === 'organization' && account.inOrganization) ||
            (p.kind === 'ou' && account.inOrganization && p.id === account.organizationalUnit),
        );
        if (!byAccount && !byOrg) {
          bad(
            [...at, 'serviceNetwork'],
            `account "${account.name}" of consumer "${name}" is not in serviceNetworks.${sn.name}.with`,
            `add "${account.name}" to serviceNetworks.${sn.name}.with`,
          );
          continue;
        }
        accept = !byOrg && !account.inOrganization;
      }
      consumers.push({
        ...base,
        path: { kind: 'service-network', serviceNetwork: sn.name, via },
        resources: sn.resources,
        share: sn.name,
        acceptInvitation: accept,
      });
      continue;
    }

    const resOk = refCheck([...at, 'resource'], 'resource', c.resource!, resourceNames);
    const resource = resourceByName.get(c.resource!);
    const gatewayNet = resource && networkOf(resource.network);
    if (!resOk || !resource || !gatewayNet) continue;
    if (resource.kind === 'https') {
      bad(
        [...at, 'resource'],
        `resource "${resource.name}" is an HTTPS API for EventBridge and Step Functions; consumers reach databases and TCP services`,
        `call it from callers: { …: { account: ${account.name}, resource: ${resource.name} } }`,
      );
      continue;
    }
    if (c.network === resource.network) {
      bad(
        [...at, 'network'],
        `consumer "${name}" is in network "${c.network}", which holds the resource gateway; AWS does not create a resource endpoint in the gateway's own VPC`,
        'clients in the same VPC connect to the resource directly; remove this consumer',
      );
      continue;
    }
    const got = receive(resource.name, account, [...at, 'resource'], `consumer "${name}"`);
    if (!got) continue;
    if (
      !consumerNet.availabilityZones.some((z) => gatewayNet.availabilityZones.includes(z)) &&
      account.name === gatewayNet.account
    ) {
      bad(
        [...at, 'network'],
        `network "${c.network}" shares no availability zone with the gateway network "${resource.network}"`,
        'use at least one common zone',
      );
    }
    consumers.push({
      ...base,
      path: { kind: 'resource-endpoint', resource: resource.name },
      resources: [resource.name],
      share: got.share?.name,
      acceptInvitation: got.accept,
    });
  }
  // A VPC takes a configuration's private DNS from one path only.
  const serviceEndpointsIn = new Map<string, Consumer[]>();
  for (const o of consumers) {
    if (o.path.kind === 'service-network' && o.path.via === 'endpoint')
      serviceEndpointsIn.set(o.network, [...(serviceEndpointsIn.get(o.network) ?? []), o]);
  }
  for (const c of consumers.filter((x) => x.privateDns && x.path.kind === 'resource-endpoint')) {
    // On a service-network path the resource association decides private DNS; an ARN database always gets it.
    const resource = resourceByName.get(c.resources[0]!);
    const clash = (serviceEndpointsIn.get(c.network) ?? []).find(
      (o) =>
        o.path.kind === 'service-network' &&
        o.path.via === 'endpoint' &&
        o.resources.includes(c.resources[0]!) &&
        ((resource?.kind === 'database' && resource.expose === 'arn') ||
          serviceNetworkByName.get((o.path as { serviceNetwork: string }).serviceNetwork)?.privateDns),
    );
    if (clash)
      bad(
        ['consumers', c.name, 'privateDns'],
        `network "${c.network}" reaches resource "${c.resources[0]}" through consumer "${clash.name}" (a service-network endpoint) too, both with private DNS: AWS allows only one`,
        `set privateDns: false on one of them, or drop consumer "${c.name}"`,
      );
  }

  // callers
  const callers: Caller[] = [];
  for (const [name, c] of Object.entries(raw.callers)) {
    const at = ['callers', name];
    if (
      !refCheck([...at, 'account'], 'account', c.account, accountNames) ||
      !refCheck([...at, 'resource'], 'resource', c.resource, resourceNames)
    )
      continue;
    const resource = resourceByName.get(c.resource);
    if (!resource) continue;
    if (resource.kind !== 'https') {
      bad(
        [...at, 'resource'],
        `resource "${c.resource}" is not an https resource: EventBridge and Step Functions call HTTPS APIs only`,
        'point the caller at a resource of type https',
      );
      continue;
    }
    if (c.via.includes('stepfunctions') && !publicName(resource.domain)) {
      bad(
        [...at, 'via'],
        `Step Functions reaches private APIs only by a public domain name with a publicly trusted certificate; ${resource.domain} is not one`,
        `give resources.${resource.name}.domain a name in a public domain, or call it with eventbridge only`,
      );
    }
    const got = receive(resource.name, accountOf(c.account)!, [...at, 'resource'], `caller "${name}"`);
    if (!got) continue;
    callers.push({
      name,
      account: c.account,
      resource: c.resource,
      via: c.via,
      path: c.path,
      method: c.method,
      apiKey: c.apiKey,
      share: got.share?.name,
      acceptInvitation: got.accept,
    });
  }

  if (problems.length) return { problems };
  return {
    problems,
    topology: {
      source,
      name: raw.name,
      region: raw.region,
      organization,
      accounts,
      networks,
      resources,
      shares,
      serviceNetworks,
      consumers,
      callers,
      workloads,
    },
  };
}
