// What listens at the end: a database on its port, or what an instance's lattice-share:serves tag says it serves.
import type { Eni } from '../../model/index.js';
import type { Facts } from '../facts.js';
import type { Hop } from '../types.js';
import { block, pass, unknown } from './hops.js';

/**
 * The listener hop at `target`. `https` is the name an HTTPS caller (EventBridge, Step Functions) expects the
 * server's certificate to carry.
 */
export function listenerHop(f: Facts, target: Eni, port: number, https?: string): Hop {
  const db = f.databasesByEni.get(target.id);
  if (db) {
    return db.port === port
      ? pass('listener', `${db.engine} listens on ${target.ip}:${port}`)
      : block(
          'listener',
          'WRONG_PORT',
          `${db.engine} on ${target.ip} listens on ${db.port}, not ${port}: the connection is refused`,
          `connect on port ${db.port}, or make the configuration's port ranges ${db.port}`,
          { rule: f.ref(db.source, db.id) },
        );
  }
  if (target.owner.kind === 'instance') return instanceListener(f, target, target.owner.id, port, https);
  // A DB instance its cluster no longer counts among its instances: a failover stopped it (a twin's fault).
  const owner = target.owner;
  if (owner.kind === 'database' && f.m.databases.some((d) => d.id === owner.cluster))
    return block(
      'listener',
      'INSTANCE_STOPPED',
      `${f.describe(target)} was stopped by a failover: the connection is refused`,
      "connect by the cluster's writer or reader name, which follow the failover",
    );
  return block(
    'listener',
    'NOT_A_LISTENER',
    `${f.describe(target)} accepts no connections on ${port}`,
    'point the configuration at the resource itself',
  );
}

function instanceListener(f: Facts, target: Eni, instanceId: string, port: number, https?: string): Hop {
  const instance = f.instances.get(instanceId);
  const onInstance = { rule: f.ref(instance?.source, instance?.id) };
  const services = f.servicesOf(instanceId);
  const service = services.find((x) => x.port === port);
  const server = f.describe(target);
  if (!service) {
    if (https && services[0])
      return block(
        'listener',
        'NOT_SERVED',
        `${server} serves ${services.map((x) => `${x.protocol} on ${x.port}`).join(', ')}, not port ${port}`,
        `call port ${services[0].port}, or serve the API on ${port}`,
        onInstance,
      );
    return unknown(
      'listener',
      'LISTENER_UNKNOWN',
      `what listens on ${server} (${target.ip}:${port}) is not in the templates`,
      `say what listens there in a facts file (listeners: instance, protocol, port), or tag the instance lattice-share:serves`,
    );
  }
  const said = service.from ?? 'its lattice-share:serves tag';
  if (!https) return pass('listener', `${server} serves ${service.protocol} on ${port} (${said})`);
  if (service.protocol !== 'https')
    return block(
      'listener',
      'PLAIN_HTTP',
      `${server} speaks plain HTTP on ${port}: the TLS handshake fails, and EventBridge and Step Functions call HTTPS only`,
      'serve the API over HTTPS (terminate TLS on the server or on a load balancer in front of it)',
      onInstance,
    );
  const names = f.certificateNames(target);
  if (!names.includes(https.toLowerCase()))
    return block(
      'listener',
      'CERTIFICATE_MISMATCH',
      `the certificate of ${server} is for ${names.join(', ') || 'no name the templates give'}, not ${https}: TLS verification fails`,
      `call the API by ${names[0] ?? 'a name its certificate carries'}, or add ${https} to the certificate`,
      onInstance,
    );
  return pass('listener', `${server} serves HTTPS on ${port}, with a certificate for ${https}`);
}
