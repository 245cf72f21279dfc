// Provides the open document's store to the editor tree; `useEditor(selector)` reads from it.
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createWorkflowStore, type EditorInit, type EditorState, type WorkflowStore } from './workflow-store';

const StoreContext = createContext<WorkflowStore | null>(null);

export function WorkflowStoreProvider({ init, children }: { init: EditorInit; children: ReactNode }) {
  // One store per mounted document; the route remounts this provider (key) when the workflow changes.
  const [store] = useState(() => createWorkflowStore(init));
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useWorkflowStore(): WorkflowStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useWorkflowStore must be used inside <WorkflowStoreProvider>.');
  return store;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useWorkflowStore(), selector);
}
