import { evaluateBounded } from './ir/expression';
const scope = { input: {}, trigger: {}, node: () => undefined, run: { id: 'r', workflowId: 'w' } };
for (const e of ['($f := function($x){ $f($x) }; $f(1))', '$count($distinct([1..200000]))', '$count([1..200000])']) {
  const t = Date.now();
  try { const r = await evaluateBounded(e, scope as any); console.log(e, r.steps, Date.now() - t); } catch (err: any) { console.log(e, err.message.slice(0, 80), Date.now() - t); }
}
