// Problems update while you edit: the browser runs the same pure compiler the server runs on save, so nodes turn
// red (or clear) at once. The server stays the judge when saving, running and publishing.
import { useEffect } from 'react';
import { checkForRun } from '../../lib/document-check';
import { useWorkflowStore } from '../../stores/workflow-store-context';

const DEBOUNCE_MS = 300;

export function useLiveDiagnostics(): void {
  const store = useWorkflowStore();
  useEffect(() => {
    if (store.getState().readOnly) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.changeSeq === previous.changeSeq) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const s = store.getState();
        const check = checkForRun(s.document(), { workflowId: s.workflowId, name: s.name });
        s.setDiagnostics(check.ok ? check.warnings : check.diagnostics);
      }, DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store]);
}
