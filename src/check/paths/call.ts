// An EventBridge API destination or a Step Functions HTTP task calling a private API: HTTPS only; EventBridge sends
// through its own service network to the configuration's gateway (any of its zones), with no security group of its own.
import type { ApiCall, Configuration, Eni, Gateway } from '../../model/index.js';
import { inRanges, publicName, where, type Facts } from '../facts.js';
import type { Attempt, Hop } from '../types.js';
import { block, dispositionOf, pass, unknown } from './hops.js';
import { configShared, sharing } from './share.js';
import { beyondGateway } from './target.js';

export interface Call {
  readonly host: string;
  readonly port: number;
  readonly attempt: Attempt;
}

export function traceCall(f: Facts, call: ApiCall): Call {
  const url = urlOf(call.url);
  const host = url?.hostname ?? call.url;
  const port = url ? Number(url.port || (url.protocol === 'http:' ? 80 : 443)) : 443;
  const hops = [schemeHop(f, call, url)];
  if (url && hops[0]?.status === 'pass') hops.push(...privateHops(f, call, url, port));
  return { host, port, attempt: { disposition: dispositionOf(hops), hops } };
}

function urlOf(text: string): URL | undefined {
  try {
    return text ? new URL(text) : undefined;
  } catch {
    return undefined;
  }
}

/** HTTPS only, and for Step Functions a public name. */
function schemeHop(f: Facts, call: ApiCall, url: URL | undefined): Hop {
  const service = call.kind === 'api-destination' ? 'EventBridge API destinations' : 'Step Functions HTTP tasks';
  if (!url)
    return unknown(
      'scheme',
      'URL_UNKNOWN',
      call.url ? `${call.url} is not a URL` : 'the endpoint is computed at run time',
    );
  if (url.protocol !== 'https:')
    return block(
      'scheme',
      'NOT_HTTPS',
      `${call.url} is ${url.protocol.replace(':', '')}: ${service} call HTTPS endpoints only, and AWS rejects the ${call.kind === 'api-destination' ? 'destination' : 'task'}`,
      `serve the API over HTTPS and call https://${url.host}${url.pathname}`,
      { rule: f.ref(call.source) },
    );
  if (call.kind === 'http-task' && !publicName(url.hostname))
    return block(
      'scheme',
      'NOT_PUBLIC_NAME',
      `${url.hostname} is not a public domain name: Step Functions reaches private APIs only by one, with a publicly trusted certificate`,
      'give the API a name in a public domain with a certificate from a public CA',
      { rule: f.ref(call.source) },
    );
  return pass('scheme', `${service} call https://${url.host}`);
}

/** From the connection to the listener: its configuration, the share, the port ranges, the gateway and beyond. */
function privateHops(f: Facts, call: ApiCall, url: URL, port: number): Hop[] {
  const reached = configurationOf(f, call);
  if ('hop' in reached) return [reached.hop];
  const { config, parent, gateway, connection } = reached;
  const hops = [sharing(f, configShared(config), connection.account, `connection ${connection.name}`)];
  const ranges = config.portRanges.length ? config.portRanges : (parent?.portRanges ?? []);
  hops.push(
    inRanges(port, ranges)
      ? pass('port-range', `port ${port} is within ${ranges.join(', ')} of ${config.name}`)
      : block(
          'port-range',
          'PORT_OUTSIDE_RANGES',
          `port ${port} is outside the port ranges of ${config.name} (${ranges.join(', ') || 'none'})`,
          `add ${port} to PortRanges of ${where(config.source, config.id)}`,
          { rule: f.ref(config.source, config.id) },
        ),
  );
  const gatewayEni = gateway.eniIds.map((id) => f.enis.get(id)).find((x): x is Eni => !!x);
  if (!gatewayEni)
    return [...hops, unknown('az', 'GATEWAY_ENI_UNKNOWN', `gateway ${gateway.name} has no ENI in the templates`)];
  const zone = gatewayEni.az ?? 'its zone';
  hops.push(pass('az', `EventBridge's service network uses the gateway's ENI in ${zone} (${gatewayEni.ip})`));
  return [...hops, ...beyondGateway(f, config, gateway, gatewayEni, port, url.hostname)];
}

type Reached =
  | { readonly hop: Hop }
  | {
      readonly connection: { readonly account: string; readonly name: string };
      readonly config: Configuration;
      readonly parent?: Configuration;
      readonly gateway: Gateway;
    };

/** The connection's configuration (a group member's parent holds the gateway) and gateway, or the hop that stops. */
function configurationOf(f: Facts, call: ApiCall): Reached {
  const connection = f.m.connections.find((c) => c.arn === call.connectionArn);
  if (!connection?.configurationArn)
    return {
      hop: block(
        'share',
        connection ? 'CONNECTION_NOT_PRIVATE' : 'CONNECTION_MISSING',
        connection
          ? `connection ${connection.name} has no InvocationConnectivityParameters: it calls the public internet, not the private API`
          : `connection ${call.connectionArn || '(none)'} is not in the templates`,
        connection
          ? `set InvocationConnectivityParameters.ResourceParameters.ResourceConfigurationArn on ${where(connection.source, connection.name)}`
          : 'point the caller at an AWS::Events::Connection',
        { rule: f.ref(connection?.source ?? call.source) },
      ),
    };
  const config = f.configurations.get(connection.configurationArn);
  const parent = config?.groupId ? f.configurationsById.get(config.groupId) : config;
  const gateway = parent?.gatewayId ? f.gateways.get(parent.gatewayId) : undefined;
  if (config && gateway) return { connection, config, parent, gateway };
  return {
    hop: block(
      'share',
      config ? 'GATEWAY_MISSING' : 'CONFIGURATION_MISSING',
      `configuration ${connection.configurationArn} ${config ? `names gateway ${parent?.gatewayId ?? '(none)'}, which the templates do not create` : 'is not in the templates'}`,
      "deploy the owner stack, or check the connection's ResourceConfigurationArn",
      { rule: f.ref(connection.source, connection.id) },
    ),
  };
}
