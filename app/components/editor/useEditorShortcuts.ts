// Editor keyboard shortcuts. Text fields keep their own undo; Save and Run work everywhere.
import { useEffect } from 'react';
import { useWorkflowStore } from '../../stores/workflow-store-context';

function inTextField(target: EventTarget | null): boolean {
  return !!(target as HTMLElement | null)?.closest(
    'input, textarea, select, [contenteditable="true"], [role="textbox"], .monaco-editor',
  );
}

export function useEditorShortcuts(commands: { save(): Promise<boolean>; run(): Promise<void> }): void {
  const store = useWorkflowStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        void commands.save();
      } else if (key === 'enter') {
        e.preventDefault();
        void commands.run();
      } else if ((key === 'z' || key === 'y') && !inTextField(e.target)) {
        e.preventDefault();
        if (key === 'y' || e.shiftKey) store.getState().redo();
        else store.getState().undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [commands, store]);
}
