// Entry point of the handoff box: what a partner company gets for an account lattice-share does not deploy to.
// So far: the invitation acceptance its stack runs as inline code (issue 13 goes on with the kit: template, READMEs,
// kit.json).
export { ACCEPT_INVITATION_CODE, ZIPFILE_LIMIT } from './accept-code.js';
