// "Record" beside the Browser node's Steps: opens the recorder and turns what it recorded into the param's rows,
// through the inspector's onChange (undo, redo, unsaved state). A recorded password needs the node's Credential:
// when that is empty, the field is brought into view and marked once the steps are added.
import { useState } from 'react';
import type { RecordedStep } from '../../../contracts/browser-recorder';
import { useEditor } from '../../stores/workflow-store-context';
import { RecorderDialog } from './RecorderDialog';

type Row = Record<string, unknown>;

interface Props {
  nodeId: string;
  workflowId: string;
  rows: unknown;
  readOnly: boolean;
  onChange(rows: Row[]): void;
}

const rowOf = (step: RecordedStep): Row => ({
  action: step.action,
  target: step.target,
  value: step.value ?? '',
  name: step.name ?? '',
});

/** Rows with something in them: the node's default first row (an empty goto) does not count. */
function filledRows(rows: unknown): Row[] {
  if (!Array.isArray(rows)) return [];
  return rows.filter(
    (r): r is Row => typeof r === 'object' && r !== null && Boolean((r as Row).target || (r as Row).value),
  );
}

function scrollParent(el: HTMLElement): HTMLElement | undefined {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(p).overflowY) && p.scrollHeight > p.clientHeight) return p;
  }
  return undefined;
}

function drawAttentionToCredential() {
  const field = document.querySelector<HTMLElement>('[data-param="credential"]');
  if (!field) return;
  field.classList.add('needs-attention');
  // Only the inspector scrolls: scrollIntoView would also shift the editor's fixed layout.
  const scroller = scrollParent(field);
  if (scroller) {
    const box = field.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    scroller.scrollTop += box.top - view.top - (view.height - box.height) / 2;
  }
  field.querySelector<HTMLElement>('input, select, button')?.focus({ preventScroll: true });
  setTimeout(() => field.classList.remove('needs-attention'), 6_000);
}

export function RecordStepsButton({ nodeId, workflowId, rows, readOnly, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const params = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data.params);
  const existing = filledRows(rows);
  const firstGoto = existing.find((r) => r.action === 'goto' && typeof r.target === 'string');
  const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  const hasCredential = typeof params?.credential === 'string' && params.credential !== '';

  const finish = (steps: RecordedStep[], replace: boolean) => {
    setOpen(false);
    const recorded = steps.map(rowOf);
    onChange(replace ? recorded : [...existing, ...recorded]);
    if (!hasCredential && steps.some((s) => s.value === '$credential.password'))
      requestAnimationFrame(drawAttentionToCredential);
  };

  return (
    <>
      <button
        type="button"
        className="btn small record-steps"
        disabled={readOnly}
        title="Record the steps by using the page in a live browser"
        onClick={() => setOpen(true)}
      >
        <span className="record-dot" aria-hidden="true" /> Record
      </button>
      {open && (
        <RecorderDialog
          workflowId={workflowId}
          allowedDomains={typeof params?.allowedDomains === 'string' ? params.allowedDomains : undefined}
          viewport={{ width: num(params?.viewportWidth, 1280), height: num(params?.viewportHeight, 800) }}
          startUrl={firstGoto ? String(firstGoto.target) : undefined}
          existingSteps={existing.length}
          hasCredential={hasCredential}
          onFinish={finish}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
