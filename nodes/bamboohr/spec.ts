// BambooHR: create, read and update employees, read the directory, list and add time off requests, with a BambooHR
// credential. Creating does not happen twice for one step (docs/decisions/048-saas-nodes.md).
import { defineNode, param, type ParamProblem } from '../define';

export const BAMBOOHR_OPERATIONS = [
  'createEmployee',
  'getEmployee',
  'updateEmployee',
  'directory',
  'listTimeOff',
  'createTimeOff',
] as const;
export type BambooOperation = (typeof BAMBOOHR_OPERATIONS)[number];

const on = (...operations: BambooOperation[]) => ({ param: 'operation', oneOf: operations });

/** Params each operation needs, by param key, with what to say when one is empty. */
const NEEDS: Record<BambooOperation, Array<[key: string, ask: string]>> = {
  createEmployee: [['employee', 'give the new employee’s fields (firstName and lastName at least)']],
  getEmployee: [['employeeId', 'name the employee by ID']],
  updateEmployee: [
    ['employeeId', 'name the employee by ID'],
    ['employee', 'give the fields to change'],
  ],
  directory: [],
  listTimeOff: [
    ['start', 'give the first day of the period'],
    ['end', 'give the last day of the period'],
  ],
  createTimeOff: [
    ['employeeId', 'name the employee by ID'],
    ['start', 'give the first day off'],
    ['end', 'give the last day off'],
    ['timeOffTypeId', 'give the time off type ID'],
    ['amount', 'give the amount of days or hours'],
  ],
};

const missing = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

export const spec = defineNode({
  type: 'bamboohr',
  version: 1,
  title: 'BambooHR',
  description: 'Create, read and update employees, read the directory, and list or add time off requests in BambooHR.',
  category: 'integration',
  icon: 'user',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Result' }],
  params: {
    credential: param.credential({
      label: 'BambooHR credential',
      description: 'Company domain and the API key of a BambooHR user allowed to do this.',
      placeholder: 'Pick a BambooHR credential',
      types: ['bamboohr'],
      required: true,
    }),
    operation: param.select({
      label: 'Operation',
      placeholder: 'Create employee',
      values: BAMBOOHR_OPERATIONS,
      options: [
        { value: 'createEmployee', label: 'Create employee' },
        { value: 'getEmployee', label: 'Get employee' },
        { value: 'updateEmployee', label: 'Update employee' },
        { value: 'directory', label: 'Employee directory' },
        { value: 'listTimeOff', label: 'List time off requests' },
        { value: 'createTimeOff', label: 'Add time off request' },
      ],
      default: 'createEmployee',
      expression: false,
    }),
    employeeId: param.text({
      label: 'Employee ID',
      description: 'BambooHR’s employee ID (in the profile’s address, or a Create employee step’s output id).',
      placeholder: '{{ $node("Create employee").id }}',
      maxLength: 64,
      showWhen: on('getEmployee', 'updateEmployee', 'createTimeOff', 'listTimeOff'),
    }),
    employee: param.jsonMap({
      label: 'Employee fields',
      description:
        'BambooHR field names and values: firstName, lastName, workEmail, hireDate (YYYY-MM-DD), jobTitle, department…' +
        ' A work email keeps a retried create from adding the employee twice.',
      placeholder: 'firstName: {{ $input.firstName }}',
      maxEntries: 400,
      maxLength: 256 * 1024,
      showWhen: on('createEmployee', 'updateEmployee'),
    }),
    fields: param.text({
      label: 'Fields to read',
      description: 'BambooHR field names, separated by commas.',
      placeholder: 'firstName, lastName, workEmail, jobTitle',
      default: 'firstName,lastName,preferredName,workEmail,jobTitle,department,location,hireDate,supervisor',
      maxLength: 16 * 1024,
      showWhen: on('getEmployee'),
    }),
    includeFuture: param.boolean({
      label: 'Include future hires',
      description: 'Also list employees whose hire date is still to come.',
      placeholder: 'false',
      default: false,
      expression: false,
      showWhen: on('directory'),
    }),
    start: param.text({
      label: 'From',
      description: 'First day, as YYYY-MM-DD.',
      placeholder: '{{ $input.firstDay }}',
      maxLength: 64,
      showWhen: on('listTimeOff', 'createTimeOff'),
    }),
    end: param.text({
      label: 'To',
      description: 'Last day, as YYYY-MM-DD.',
      placeholder: '{{ $input.lastDay }}',
      maxLength: 64,
      showWhen: on('listTimeOff', 'createTimeOff'),
    }),
    timeOffTypeId: param.text({
      label: 'Time off type ID',
      description: 'BambooHR’s ID of the time off type (Settings › Time Off). When listing: IDs to keep, by commas.',
      placeholder: '78',
      maxLength: 256,
      showWhen: on('listTimeOff', 'createTimeOff'),
    }),
    amount: param.number({
      label: 'Amount',
      description: 'Days or hours, as the time off type counts them.',
      placeholder: '3',
      min: 0,
      max: 10_000,
      showWhen: on('createTimeOff'),
    }),
    requestStatus: param.select({
      label: 'Status',
      description: 'Approved or denied needs an admin key or one with access to the time off type.',
      placeholder: 'Requested',
      values: ['requested', 'approved', 'denied'] as const,
      options: [
        { value: 'requested', label: 'Requested (goes to approvers)' },
        { value: 'approved', label: 'Approved' },
        { value: 'denied', label: 'Denied' },
      ],
      default: 'requested',
      showWhen: on('createTimeOff'),
    }),
    note: param.textarea({
      label: 'Note',
      description: 'The employee’s note on the request.',
      placeholder: 'Approved in Baton by {{ $input.approver }}',
      maxLength: 2000,
      showWhen: on('createTimeOff'),
    }),
    statusFilter: param.text({
      label: 'Statuses',
      description: 'Keep only these, by commas: requested, approved, denied, canceled, superceded. Empty: all.',
      placeholder: 'approved, requested',
      maxLength: 256,
      showWhen: on('listTimeOff'),
    }),
  },
  check(params): ParamProblem[] {
    const operation = (params.operation ?? 'createEmployee') as BambooOperation;
    return (NEEDS[operation] ?? [])
      .filter(([key]) => missing(params[key]))
      .map(([key, ask]) => ({ path: [key], message: `Param "${key}": ${ask}`, incomplete: true }));
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  // Up to two calls of 30 s each (a look-up before adding), and throttling waited out up to twice 30 s.
  policy: { timeoutMs: 180_000 },
});
