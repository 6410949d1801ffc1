// Entry point of the handoff box: what a partner company gets for an account lattice-share does not deploy to.
// `planKit` (topology + deployed outputs → what the account receives), `kitFiles` (→ template.yaml, the READMEs,
// kit.json), `writeKit` (into a new folder, an empty one or an earlier kit's), `afterDeploy` (what deploy does for
// other parties), `reinviteSteps` / `applyReinvite` (a new invitation on the same share), `readOutputsFile`.
export { ACCEPT_INVITATION_CODE, ZIPFILE_LIMIT } from './accept-code.js';
export { afterDeploy, type KitWritten } from './after-deploy.js';
export { KIT_FILES, KIT_KIND, kitFiles, type KitFileSet, type KitLanguage } from './kit.js';
export { readOutputsFile } from './outputs.js';
export {
  HandoffError,
  INVITATION_HOURS,
  planKit,
  sharesReaching,
  type KitPlan,
  type KitResource,
  type StackOutputs,
} from './plan.js';
export { applyReinvite, reinviteSteps, type RamCalls, type RamCommands, type ReinviteStep } from './reinvite.js';
export { acceptanceId, CLIENT_GROUP_SLOTS, endpointId, kitTemplate } from './template.js';
export { writeKit } from './write.js';
export { templateYaml } from './yaml.js';

/** CloudFormation takes a template body from a file of at most this many bytes without an S3 bucket (quotas). */
export const TEMPLATE_BODY_LIMIT = 51_200;
