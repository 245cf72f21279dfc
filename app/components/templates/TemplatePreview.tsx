// A read-only preview of a template's graph: the editor's own canvas over a document store opened read-only, so
// nodes look exactly as they will in the editor, but nothing can be moved, connected or deleted.
import { ReactFlowProvider } from '@xyflow/react';
import type { Diagnostic, WorkflowDocument } from '../../../ir/types';
import type { SpecDescription } from '../../../nodes/index';
import { WorkflowStoreProvider } from '../../stores/workflow-store-context';
import { Canvas } from '../canvas/Canvas';

const NO_DIAGNOSTICS: Diagnostic[] = [];

export function TemplatePreview(props: {
  slug: string;
  name: string;
  document: WorkflowDocument;
  specs: SpecDescription[];
}) {
  const init = {
    workflowId: `template-${props.slug}`,
    name: props.name,
    revision: 0,
    document: props.document,
    specs: props.specs,
    diagnostics: NO_DIAGNOSTICS,
    readOnly: true,
  };
  return (
    <div className="template-preview" data-testid="template-preview" aria-label={`Preview of ${props.name}`}>
      <WorkflowStoreProvider key={props.slug} init={init}>
        <ReactFlowProvider>
          <Canvas preview />
        </ReactFlowProvider>
      </WorkflowStoreProvider>
    </div>
  );
}
