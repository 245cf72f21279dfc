// Turns what the recorder sees into Browser node steps (contracts/browser-recorder.ts): the page's reports, checked
// like any untrusted input (the page can call the binding too), a picked element and a picked list, each with the
// `frame=` segments of the frame it came from.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RecordedStep } from '../../contracts/browser-recorder';
import type { ListProposal } from '../../nodes/browser/locator-gen-list';
import type { PageAction, PickedElement } from '../../nodes/browser/recorder-script';
import { inFrame } from './browser-recorder-frames.server';

/** The value a recorded password fill holds: the node's Website login credential fills it in at run time. */
export const PASSWORD_PLACEHOLDER = '$credential.password';
const PASSWORD_NOTE =
  'The typed password is not recorded: at run time this step fills in the password of the Website login ' +
  'credential picked in the node’s Credential field.';

// The page can call the binding itself, so what it reports is checked like any other untrusted input.
const locator = z.string().min(1).max(2000);
export const pageActionSchema: z.ZodType<PageAction> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('click'), locator }),
  z.object({ kind: z.literal('fill'), locator, value: z.string().max(10_000), secret: z.boolean() }),
  z.object({ kind: z.literal('select'), locator, value: z.string().max(2000) }),
  z.object({ kind: z.enum(['check', 'uncheck']), locator }),
  z.object({ kind: z.literal('press'), locator, key: z.literal('Enter') }),
]);

/** A step from what the page reported; a password fill holds the credential token, never what was typed. */
export function stepOf(action: PageAction): RecordedStep {
  const id = randomUUID();
  switch (action.kind) {
    case 'fill':
      return action.secret
        ? { id, action: 'fill', target: action.locator, value: PASSWORD_PLACEHOLDER, note: PASSWORD_NOTE }
        : { id, action: 'fill', target: action.locator, value: action.value };
    case 'select':
      return { id, action: 'select', target: action.locator, value: action.value };
    case 'press':
      return { id, action: 'press', target: action.locator, value: action.key };
    default:
      return { id, action: action.kind, target: action.locator };
  }
}

/** A short camelCase name for an extraction from the picked element's text ("Welcome, Ada" → welcomeAda). */
function suggestedName(picked: PickedElement): string {
  if (picked.table) return 'table';
  const words =
    picked.text
      .toLowerCase()
      .match(/[a-z0-9]+/g)
      ?.slice(0, 3) ?? [];
  const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[a-z]/.test(name) ? name.slice(0, 40) : 'text';
}

export function pickStep(picked: PickedElement, path: string[]): RecordedStep {
  const table = picked.table && inFrame(path, picked.table);
  const pick = { locator: inFrame(path, picked.locator), table, text: picked.text, attributes: picked.attributes };
  const name = suggestedName(picked);
  return table
    ? { id: randomUUID(), action: 'extractTable', target: table, name, pick }
    : { id: randomUUID(), action: 'extractText', target: pick.locator, name, pick };
}

export function listStep(list: ListProposal, path: string[]): RecordedStep {
  return {
    id: randomUUID(),
    action: 'extractMany',
    target: inFrame(path, list.items),
    value: JSON.stringify(list.fields),
    name: 'items',
    list: { count: list.count, sample: list.sample },
  };
}
