// Private DNS for a consumer's path: on or off, and the custom domains named, since unverified ones get private DNS
// only so (a cluster's own names need none: AWS gives them to an ARN configuration's endpoint).
import { PrivateDnsPreference, type PrivateDnsProps } from '../constructs/index.js';

export function privateDnsOf(enabled: boolean, customDomains: readonly string[]): PrivateDnsProps {
  return enabled && customDomains.length
    ? {
        privateDnsEnabled: true,
        privateDnsPreference: PrivateDnsPreference.VERIFIED_DOMAINS_AND_SPECIFIED_DOMAINS,
        privateDnsSpecifiedDomains: [...customDomains],
      }
    : { privateDnsEnabled: enabled };
}
