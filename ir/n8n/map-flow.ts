// n8n flow nodes → Baton's: If (true/false outputs), Merge (one multi-edge input), Wait, No Op, Stop and Error.
import type { Mapper } from './map-values';
import { action, list, num, rec, str, unitOf } from './map-values';

const V1_OPERATORS: Record<string, string> = {
  equal: 'equals',
  notEqual: 'notEquals',
  contains: 'contains',
  notContains: 'notContains',
  isEmpty: 'isEmpty',
  isNotEmpty: 'isNotEmpty',
  regex: 'matchesRegex',
  larger: 'gt',
  largerEqual: 'gte',
  smaller: 'lt',
  smallerEqual: 'lte',
};
const V2_OPERATORS: Record<string, string> = {
  equals: 'equals',
  notEquals: 'notEquals',
  contains: 'contains',
  notContains: 'notContains',
  empty: 'isEmpty',
  notEmpty: 'isNotEmpty',
  exists: 'isNotEmpty',
  notExists: 'isEmpty',
  regex: 'matchesRegex',
  gt: 'gt',
  gte: 'gte',
  lt: 'lt',
  lte: 'lte',
  true: 'isTrue',
  false: 'isFalse',
  after: 'gt',
  before: 'lt',
};

/** If: v1 `conditions.{string,number,boolean}[]`, v2 `conditions.conditions[]` with an operator object. */
export const ifNode: Mapper = (node, ctx) => {
  const c = rec(node.parameters.conditions);
  const conditions =
    node.typeVersion >= 2
      ? list(c.conditions).map((x) => ({
          left: x.leftValue,
          right: x.rightValue,
          op: V2_OPERATORS[str(rec(x.operator).operation)],
          raw: str(rec(x.operator).operation),
        }))
      : ['string', 'number', 'boolean', 'dateTime'].flatMap((kind) =>
          list(c[kind]).map((x) => ({
            left: x.value1,
            right: x.value2,
            op: V1_OPERATORS[str(x.operation, 'equal')],
            raw: str(x.operation, 'equal'),
          })),
        );
  const first = conditions[0];
  if (!first || !first.op) return undefined;
  const notes =
    conditions.length > 1
      ? [`n8n combined ${conditions.length} conditions; only the first was imported: add the others`]
      : [];
  return {
    type: 'if',
    version: 1,
    params: {
      left: ctx.text(first.left ?? '', 'conditions[0].left'),
      operator: first.op,
      right: ctx.text(first.right ?? '', 'conditions[0].right'),
    },
    outputs: ['true', 'false'],
    input: 'in',
    notes,
  };
};

/** Merge: both of n8n's numbered inputs land on Baton's one multi-edge input. */
export const merge: Mapper = (node) => {
  const mode = str(node.parameters.mode, 'append');
  const target =
    mode === 'append' || mode === 'wait'
      ? 'append'
      : mode === 'passThrough' || mode === 'chooseBranch'
        ? 'first'
        : 'combine';
  const notes = target === 'append' ? [] : [`n8n mode "${mode}" became "${target}": check how the inputs are joined`];
  return { ...action('merge', { mode: target }, notes) };
};

/** Wait v1: `resume` = timeInterval (amount + unit), specificTime (dateTime) or webhook (with a time limit). */
export const wait: Mapper = (node, ctx) => {
  const p = node.parameters;
  const resume = str(p.resume, 'timeInterval');
  if (resume === 'timeInterval')
    return action('wait', { mode: 'duration', amount: num(p.amount) ?? 1, unit: unitOf(p.unit, 'hours') });
  if (resume === 'specificTime')
    return action('wait', { mode: 'until', until: ctx.text(p.dateTime ?? '', 'dateTime') });
  if (resume !== 'webhook') return undefined;
  const limit =
    p.limitWaitTime === true && str(p.limitType, 'afterTimeInterval') === 'afterTimeInterval'
      ? { timeoutAmount: num(p.resumeAmount) ?? 1, timeoutUnit: unitOf(p.resumeUnit, 'hours') }
      : {};
  return { ...action('wait', { mode: 'webhook', ...limit }), outputs: ['out', 'timeout'] };
};

export const noOp: Mapper = () =>
  action('set-fields', { fields: {}, keepInput: true }, ['n8n No Op: passes its input on']);

export const stopAndError: Mapper = (node, ctx) => {
  const p = node.parameters;
  if (p.errorType === 'errorObject') return undefined;
  return {
    ...action('stop-and-error', { message: ctx.text(p.errorMessage ?? 'Stopped', 'errorMessage') }),
    outputs: [],
  };
};
