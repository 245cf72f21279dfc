// Problems update while you edit: the browser runs the same pure compiler the server runs on save, so nodes turn
// red (or clear) at once. The server stays the judge when saving, running and publishing.
import { useEffect } from 'react';
import { checkForRun } from '../../lib/document-check';
import { sameGraph } from '../../stores/flow-document';
import { useWorkflowStore } from '../../stores/workflow-store-context';

const DEBOUNCE_MS = 300;

export function useLiveDiagnostics(): void {
  const store = useWorkflowStore();
  useEffect(() => {
    if (store.getState().readOnly) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // What the diagnostics on display were compiled from (at first, the loader's compile of the opened draft).
    let compiled = store.getState();
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.changeSeq === previous.changeSeq) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const s = store.getState();
        // Moving nodes changes nothing the compiler reads, and compiling hundreds of nodes takes a long frame.
        if (s.name === compiled.name && sameGraph(s, compiled)) return;
        compiled = s;
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
