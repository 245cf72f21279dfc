// The one registry of node specs. Palette, forms, compiler checks and activity dispatch all derive from it.
// Pure: the editor, the compiler and the workflow bundle import it. Runners are loaded by convention from
// `nodes/<type>/run`, never listed here.
import {
  defaultPolicy,
  type NodePolicy,
  type ListOutputs,
  type NodeSpec,
  type ParamUi,
  type PortSpec,
  type Runtime,
  type TaskQueue,
} from './define';
import { spec as aggregate } from './aggregate/spec';
import { spec as agent } from './agent/spec';
import { spec as llm } from './llm/spec';
import { spec as approval } from './approval/spec';
import { spec as code } from './code/spec';
import { spec as compareDatasets } from './compare-datasets/spec';
import { spec as dataTable } from './data-table/spec';
import { spec as crypto } from './crypto/spec';
import { spec as dateTime } from './date-time/spec';
import { spec as delay } from './delay/spec';
import { spec as docxCreate } from './docx-create/spec';
import { spec as docxTemplate } from './docx-template/spec';
import { spec as executeWorkflow } from './execute-workflow/spec';
import { spec as filter } from './filter/spec';
import { spec as form } from './form/spec';
import { spec as formTrigger } from './form-trigger/spec';
import { spec as chatTrigger } from './chat-trigger/spec';
import { spec as httpRequest } from './http-request/spec';
import { spec as ifNode } from './if/spec';
import { spec as pdfCreate } from './pdf-create/spec';
import { spec as limit } from './limit/spec';
import { spec as loopOverItems } from './loop-over-items/spec';
import { spec as manualTrigger } from './manual-trigger/spec';
import { spec as merge } from './merge/spec';
import { spec as mysql } from './mysql/spec';
import { spec as postgres } from './postgres/spec';
import { spec as removeDuplicates } from './remove-duplicates/spec';
import { spec as scheduleTrigger } from './schedule-trigger/spec';
import { spec as sendEmail } from './send-email/spec';
import { spec as calendarInvite } from './calendar-invite/spec';
import { spec as calendarEvent } from './calendar-event/spec';
import { spec as slack } from './slack/spec';
import { spec as bamboohr } from './bamboohr/spec';
import { spec as renameKeys } from './rename-keys/spec';
import { spec as repeatUntil } from './repeat-until/spec';
import { spec as setFields } from './set-fields/spec';
import { spec as sort } from './sort/spec';
import { spec as splitOut } from './split-out/spec';
import { spec as sqlite } from './sqlite/spec';
import { spec as stopAndError } from './stop-and-error/spec';
import { spec as wait } from './wait/spec';
import { spec as switchNode } from './switch/spec';
import { spec as webhookTrigger } from './webhook-trigger/spec';
import { spec as xlsxRead } from './xlsx-read/spec';
import { spec as xlsxWrite } from './xlsx-write/spec';
import { spec as browser } from './browser/spec';
import { spec as n8nPlaceholder } from './n8n-placeholder/spec';

/** Every spec version, in palette order (triggers, then flow, then core). Old versions stay listed. */
const ALL: NodeSpec[] = [
  manualTrigger,
  webhookTrigger,
  scheduleTrigger,
  formTrigger,
  chatTrigger,
  ifNode,
  switchNode,
  merge,
  loopOverItems,
  repeatUntil,
  delay,
  wait,
  approval,
  form,
  executeWorkflow,
  stopAndError,
  setFields,
  filter,
  sort,
  limit,
  removeDuplicates,
  splitOut,
  aggregate,
  renameKeys,
  dateTime,
  crypto,
  compareDatasets,
  docxTemplate,
  docxCreate,
  pdfCreate,
  xlsxRead,
  xlsxWrite,
  dataTable,
  httpRequest,
  code,
  n8nPlaceholder,
  sendEmail,
  calendarInvite,
  calendarEvent,
  slack,
  bamboohr,
  postgres,
  mysql,
  sqlite,
  llm,
  agent,
  browser,
];

const byKey = new Map<string, NodeSpec>(ALL.map((s) => [`${s.type}@${s.version}`, s]));
const latestByType = new Map<string, NodeSpec>();
for (const s of ALL) {
  const current = latestByType.get(s.type);
  if (!current || s.version > current.version) latestByType.set(s.type, s);
}

export const registry = {
  get(type: string, version: number): NodeSpec | undefined {
    return byKey.get(`${type}@${version}`);
  },
  latest(type: string): NodeSpec | undefined {
    return latestByType.get(type);
  },
  /** Every version of every type, old ones included: what a worker must be able to run. */
  all(): NodeSpec[] {
    return [...ALL];
  },
  /** The latest version of each type, in palette order. */
  list(): NodeSpec[] {
    return [...latestByType.values()];
  },
};

/** What the browser needs to draw a node and its form; zod schemas and functions cannot cross the wire. */
export interface SpecDescription {
  type: string;
  version: number;
  title: string;
  description: string;
  category: NodeSpec['category'];
  icon: string;
  hiddenFromPalette?: true;
  inputs: PortSpec[];
  outputs: PortSpec[];
  listOutputs?: ListOutputs;
  conditionalOutputs?: NodeSpec['conditionalOutputs'];
  /** `pure`: the node runs in a chain and is never retried (nodes/define.ts), so retry settings do not apply. */
  runtime: { kind: Runtime['kind']; taskQueue: TaskQueue; pure?: true };
  /** True for merge nodes: their input port accepts several edges. */
  multipleInputs: boolean;
  /** Input ports that accept several edges on nodes that are not merges (a loop's "Loop end"). */
  multiInputPorts?: string[];
  params: Array<{ key: string; ui: ParamUi; default?: unknown }>;
  policy: NodePolicy;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function describeSpec(spec: NodeSpec): SpecDescription {
  return {
    type: spec.type,
    version: spec.version,
    title: spec.title,
    description: spec.description,
    category: spec.category,
    icon: spec.icon,
    ...(spec.hiddenFromPalette ? { hiddenFromPalette: true as const } : {}),
    inputs: clone(spec.inputs),
    outputs: clone(spec.outputs),
    ...(spec.listOutputs ? { listOutputs: clone(spec.listOutputs) } : {}),
    ...(spec.conditionalOutputs ? { conditionalOutputs: clone(spec.conditionalOutputs) } : {}),
    runtime: {
      kind: spec.runtime.kind,
      taskQueue: spec.runtime.kind === 'activity' ? spec.runtime.taskQueue : 'default',
      ...(spec.runtime.kind === 'activity' && spec.runtime.pure ? { pure: true as const } : {}),
    },
    multipleInputs: spec.runtime.kind === 'merge',
    ...(spec.runtime.kind === 'loop' ? { multiInputPorts: ['loopEnd'] } : {}),
    params: Object.entries(spec.params).map(([key, def]) => ({ key, ui: clone(def.ui), default: clone(def.default) })),
    policy: {
      ...defaultPolicy,
      ...spec.policy,
      retry: { ...defaultPolicy.retry, ...spec.policy?.retry },
    },
  };
}
