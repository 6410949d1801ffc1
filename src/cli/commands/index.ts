// The CLI's commands, one file each; the order here is the order of --help.
import type { Command } from './common.js';
import { validateCommand } from './validate.js';
import { synthCommand } from './synth.js';
import { inspectCommand } from './inspect.js';
import { checkCommand } from './check.js';
import { diagramCommand } from './diagram.js';
import { upCommand } from './up.js';
import { statusCommand } from './status.js';
import { execCommand } from './exec.js';
import { invokeCommand } from './invoke.js';
import { downCommand } from './down.js';
import { faultCommand } from './fault.js';
import { demoCommand } from './demo.js';
import { deployCommand } from './deploy.js';
import { destroyCommand } from './destroy.js';
import { handoffCommand } from './handoff.js';
import { reinviteCommand } from './reinvite.js';
import { doctorCommand } from './doctor.js';

export type { Command } from './common.js';

export const commands: Record<string, Command> = {
  validate: validateCommand,
  synth: synthCommand,
  inspect: inspectCommand,
  check: checkCommand,
  diagram: diagramCommand,
  doctor: doctorCommand,
  up: upCommand,
  status: statusCommand,
  exec: execCommand,
  invoke: invokeCommand,
  fault: faultCommand,
  down: downCommand,
  demo: demoCommand,
  deploy: deployCommand,
  destroy: destroyCommand,
  handoff: handoffCommand,
  reinvite: reinviteCommand,
};
