// The rows editor's model, checked against the real Switch spec and the real compiler: new rows are rules the
// compiler accepts, and its errors land on the row and cell they are about.
import { compilePlan } from '../../../ir/compile';
import type { Diagnostic, WorkflowDocument } from '../../../ir/types';
import { registry } from '../../../nodes/index';
import {
  cellKey,
  cellMessage,
  editableAsRows,
  locateListErrors,
  moveRow,
  newRow,
  withCell,
  type FieldError,
} from './list-rows';

const switchSpec = registry.latest('switch')!;
const fields = switchSpec.params.rules.ui.fields!;

/** The compiler's errors about the Switch's `rules`, located the way the inspector locates them. */
function ruleErrors(rules: unknown): FieldError[] {
  const doc: WorkflowDocument = {
    nodes: [
      { id: 't', type: 'manual-trigger', version: 1, name: 'Start', position: { x: 0, y: 0 }, params: {} },
      {
        id: 's',
        type: 'switch',
        version: switchSpec.version,
        name: 'Route',
        position: { x: 200, y: 0 },
        params: { rules },
      },
    ],
    edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 's', targetPort: 'in' }],
    settings: {},
  };
  const compiled = compilePlan(doc, { workflowId: 'wf', name: 'Rows' });
  const diagnostics: Diagnostic[] = compiled.ok ? compiled.warnings : compiled.diagnostics;
  return (
    diagnostics
      .filter((d) => d.severity === 'error' && d.nodeId === 's' && d.path?.[3] === 'rules')
      // As the inspector passes them on: without the node's name, which the panel already shows.
      .map((d) => ({ path: d.path!.slice(4), message: d.message.replace(/^Route: /, '') }))
  );
}

test('a new rule holds each field’s default and compiles', () => {
  const row = newRow(fields);
  expect(row).toEqual({ output: '', value: '', operator: 'equals', compare: '' });
  expect(ruleErrors([row, newRow(fields)])).toEqual([]);
  // Defaults are copied, so editing one row never changes another's.
  const list = fields.map((f) => ({ ...f, default: f.key === 'value' ? { nested: 1 } : f.default }));
  expect(newRow(list).value).not.toBe(newRow(list).value);
});

test('only lists of plain rows are edited as rows; anything else stays JSON', () => {
  expect(editableAsRows([{ output: 'A', value: 1, operator: 'gt', compare: true }], fields)).toBe(true);
  expect(editableAsRows([], fields)).toBe(true);
  expect(editableAsRows('{{ $input.rules }}', fields)).toBe(false);
  expect(editableAsRows([{ value: { amount: 1 }, operator: 'equals' }], fields)).toBe(false);
  expect(editableAsRows([['equals']], fields)).toBe(false);
  expect(editableAsRows(undefined, fields)).toBe(false);
});

test('moving and editing rows keeps the other rows as they were', () => {
  expect(moveRow(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
  expect(moveRow(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  const row = { output: 'A', value: '1', operator: 'gt' };
  expect(withCell(row, 'value', '2')).toEqual({ output: 'A', value: '2', operator: 'gt' });
  expect(withCell(row, 'operator', undefined)).toEqual({ output: 'A', value: '1' });
  expect(row).toEqual({ output: 'A', value: '1', operator: 'gt' });
});

test('the compiler’s errors land on the cell, the row or the list they are about', () => {
  const cellError = ruleErrors([newRow(fields), { ...newRow(fields), operator: 'bigger' }]);
  expect(cellError).toHaveLength(1);
  let located = locateListErrors(cellError, fields);
  expect([...located.cells.keys()]).toEqual([cellKey(1, 'operator')]);
  expect(located.cells.get(cellKey(1, 'operator'))![0]).toMatch(/^must be one of equals/);

  const expression = ruleErrors([{ ...newRow(fields), value: '{{ $input.amount' }]);
  located = locateListErrors(expression, fields);
  expect([...located.cells.keys()]).toEqual([cellKey(0, 'value')]);

  const unknownKey = ruleErrors([{ ...newRow(fields), colour: 'red' }]);
  located = locateListErrors(unknownKey, fields);
  expect(located.cells.size).toBe(0);
  expect(located.rows.get(0)?.[0]).toMatch(/colour/);

  const tooMany = ruleErrors(Array.from({ length: 65 }, () => newRow(fields)));
  located = locateListErrors(tooMany, fields);
  expect(located.list).toHaveLength(1);
  expect(located.list[0]).toMatch(/65 rules; the limit is 64/);
});

test('cell messages drop the "Param …" prefix the cell already shows', () => {
  expect(cellMessage('Param "rules[1].operator": must be one of equals, gt')).toBe('must be one of equals, gt');
  expect(cellMessage('Unclosed "{{"')).toBe('Unclosed "{{"');
});
