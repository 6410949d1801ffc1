// The CLI's commands, one file each; the order here is the order of --help.
import type { Command } from './common.js';

export type { Command } from './common.js';

/**
 * The commands by name, each loaded when it is run (its module loads the boxes it uses): `check` of a cloud assembly
 * does not load the twin's, the diagram's or doctor's code.
 */
export const commands: Readonly<Record<string, () => Promise<Command>>> = {
  validate: async () => (await import('./validate.js')).validateCommand,
  synth: async () => (await import('./synth.js')).synthCommand,
  inspect: async () => (await import('./inspect.js')).inspectCommand,
  check: async () => (await import('./check.js')).checkCommand,
  diagram: async () => (await import('./diagram.js')).diagramCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  up: async () => (await import('./up.js')).upCommand,
  status: async () => (await import('./status.js')).statusCommand,
  exec: async () => (await import('./exec.js')).execCommand,
  invoke: async () => (await import('./invoke.js')).invokeCommand,
  fault: async () => (await import('./fault.js')).faultCommand,
  down: async () => (await import('./down.js')).downCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  deploy: async () => (await import('./deploy.js')).deployCommand,
  destroy: async () => (await import('./destroy.js')).destroyCommand,
  handoff: async () => (await import('./handoff.js')).handoffCommand,
  reinvite: async () => (await import('./reinvite.js')).reinviteCommand,
};
