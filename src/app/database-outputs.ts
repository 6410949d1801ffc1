// The outputs a consumer stack gives for a database: the names private DNS resolves to the endpoint, and a
// connection string without its password.
import { CfnOutput, type Stack } from 'aws-cdk-lib';
import { schemeOf, type DatabaseResource } from '../config/index.js';
import { endpointNameOutput, pascal } from './names.js';

export interface DatabaseOutputsProps {
  /** The consumer (and, on a service network, the resource) the outputs are named after. */
  readonly label: string;
  readonly r: DatabaseResource;
  /** The owner stack whose outputs are the cluster's names (ARN type). */
  readonly owner: string;
  readonly privateDns: boolean;
  /** The endpoint's own name, used when private DNS gives none. */
  readonly endpointName?: string;
}

export function databaseOutputs(
  stack: Stack,
  input: (from: string, output: string, description: string) => string,
  { label, r, owner, privateDns, endpointName }: DatabaseOutputsProps,
): void {
  const id = pascal(label);
  const c = { name: label, privateDns };
  const scheme = schemeOf(r.engine);
  const user = r.create?.username ?? '<user>';
  const db = r.create?.databaseName ?? '<database>';
  // Names that private DNS points at the endpoint: the cluster's own (ARN type) or the custom domains (DNS type).
  const viaPrivateDns = c.privateDns && (r.expose === 'arn' || !!r.customDomains);
  const hasReader = !!(r.create || r.import?.readerEndpoint);
  // Called only when needed: for an ARN type each name becomes a parameter fed by the owner stack.
  const nameOf = (role: 'writer' | 'reader') =>
    r.expose === 'arn'
      ? input(owner, endpointNameOutput(r.name, role), `${role} name of ${r.name}`)
      : r.customDomains?.[role];
  const host = viaPrivateDns ? nameOf('writer')! : endpointName;
  if (!host) return; // a service-network path without private DNS: the association's name is known after deploy only
  if (viaPrivateDns) {
    new CfnOutput(stack, `${id}WriterName`, {
      value: host,
      description: `${c.name}: the writer name, resolved to the endpoint by private DNS`,
    });
    const readerName = hasReader ? nameOf('reader') : undefined;
    if (readerName)
      new CfnOutput(stack, `${id}ReaderName`, {
        value: readerName,
        description: `${c.name}: the reader name, resolved to the endpoint by private DNS`,
      });
  }
  // Only the cluster's own names match its TLS certificate.
  const verified = viaPrivateDns && r.expose === 'arn';
  const tls = verified
    ? scheme === 'mysql'
      ? 'ssl-mode=VERIFY_IDENTITY'
      : 'sslmode=verify-full'
    : scheme === 'mysql'
      ? 'ssl-mode=REQUIRED'
      : 'sslmode=require';
  new CfnOutput(stack, `${id}ConnectionString`, {
    value: `${scheme}://${user}@${host}:${r.port}/${db}?${tls}`,
    description: `${c.name}: connection string without password; read it from the owner's secret or use IAM authentication`,
  });
}
