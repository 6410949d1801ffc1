// What readers of a model ask of it besides its lists: which network ACL a subnet uses and in what order its entries
// count, what two sides' zones compare by, and whether a value is known only at deploy. The model box's second door,
// with no dependency outside the model: the twin reads through it, also from a copy of the code without packages
// (a user who is not root reading a twin's state).
export { orderedEntries, subnetAcls } from './acls.js';
export { unknownIn, unknownValue } from './unknown.js';
export { downAddresses, zoneKey } from './zones.js';
export { dnsKey, MAX_CNAMES } from './names.js';
export { liveOrigin, liveStack } from './origin.js';
