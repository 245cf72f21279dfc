// Compares two lists, usually the outputs of two earlier nodes, by key fields. Pure.
import { defineNode, param } from '../define';
import { pathListParam } from '../items';
import { MAX_ITEMS } from './compare';

/** Each list may be larger than ordinary params: comparing two exports is the point of the node. */
const MAX_DATASET_CHARS = 8 * 1024 * 1024;

const datasetHelp = `A list (usually an expression), at most ${MAX_ITEMS.toLocaleString('en-US')} items; one value counts as a list of one.`;

export const spec = defineNode({
  type: 'compare-datasets',
  version: 1,
  title: 'Compare datasets',
  description: 'Find the items two lists share, the ones that changed, and the ones only one list has.',
  category: 'core',
  icon: '⇄',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Comparison' }],
  params: {
    a: param.anyValue({
      label: 'Dataset A',
      description: datasetHelp,
      placeholder: '{{ $node("Old list") }}',
      maxLength: MAX_DATASET_CHARS,
    }),
    b: param.anyValue({
      label: 'Dataset B',
      description: datasetHelp,
      placeholder: '{{ $node("New list") }}',
      maxLength: MAX_DATASET_CHARS,
    }),
    keyFields: pathListParam({
      label: 'Key fields',
      description:
        'Fields that identify an item, separated by commas (dotted paths nest). Empty: the whole item is its key. ' +
        'Items missing a key field match nothing.',
      placeholder: 'id',
      default: 'id',
    }),
    keyFieldsB: pathListParam({
      label: 'Key fields in B',
      description: 'When B names its key fields differently: as many fields, in the same order. Empty: as in A.',
      placeholder: 'userId',
      default: '',
    }),
    skipFields: pathListParam({
      label: 'Fields to skip',
      description: 'Fields left out when comparing items with the same key, separated by commas.',
      placeholder: 'updatedAt, meta.etag',
      default: '',
    }),
    loose: param.boolean({
      label: 'Loose types',
      description: 'On: 1 equals "1" and true equals "true", in keys and in compared fields. Off: types must match.',
      placeholder: 'false',
      default: false,
      expression: false,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});
