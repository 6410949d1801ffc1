// What each shared resource becomes on the wire: its resource configurations and its ports.
import type { SharedResource } from '../config/index.js';

export interface ConfigurationPart {
  /** '' for a resource with one configuration, otherwise writer or reader. */
  readonly part: '' | 'writer' | 'reader';
}

export function configurationParts(r: SharedResource): ConfigurationPart[] {
  if (r.kind === 'database' && r.expose === 'dns') {
    const hasReader = r.create !== undefined || r.import?.readerEndpoint !== undefined;
    return hasReader ? [{ part: 'writer' }, { part: 'reader' }] : [{ part: 'writer' }];
  }
  return [{ part: '' }];
}

/** The resource's custom domains: what private DNS gives an endpoint when they are named on it. */
export function customDomainsOf(r: SharedResource): string[] {
  const domains =
    r.kind === 'database'
      ? [r.customDomains?.writer, r.customDomains?.reader]
      : r.kind === 'group'
        ? r.members.map((m) => m.customDomain)
        : [r.customDomain];
  return domains.filter((d): d is string => !!d);
}

/** Port ranges clients use ("5432", "8000-8010"). */
export function portRanges(r: SharedResource): string[] {
  if (r.kind === 'database') return [String(r.port)];
  if (r.kind === 'tcp') return r.ports;
  if (r.kind === 'https') return [String(r.port)];
  return [...new Set([...r.ports, ...r.members.flatMap((m) => m.ports ?? [])])];
}
