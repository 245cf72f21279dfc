// BambooHR's responses as its public documentation shows them; the replay server (test/replay/bamboohr.ts) seeds its
// state from these and answers in their shapes.

/**
 * Get Employee Directory, "Sample Response": https://documentation.bamboohr.com/reference/get-employees-directory-1.
 * `workEmail` and `department` are added to the fieldset: the current page (…/reference/get-employees-directory)
 * says a fully shared directory "covers names, job title, department, … work email".
 */
export const DIRECTORY = {
  fields: [
    { id: 'displayName', type: 'text', name: 'Display Name' },
    { id: 'firstName', type: 'text', name: 'First Name' },
    { id: 'lastName', type: 'text', name: 'Last Name' },
    { id: 'gender', type: 'text', name: 'Gender' },
    { id: 'jobTitle', type: 'list', name: 'Job Title' },
    { id: 'workPhone', type: 'text', name: 'Work Phone' },
    { id: 'workPhoneExtension', type: 'text', name: 'Work Extension' },
    { id: 'skypeUsername', type: 'text', name: 'Skype Username' },
    { id: 'facebook', type: 'text', name: 'Facebook URL' },
    { id: 'workEmail', type: 'email', name: 'Work Email' },
    { id: 'department', type: 'list', name: 'Department' },
  ],
  employees: [
    {
      id: 123,
      displayName: 'John Doe',
      firstName: 'John',
      lastName: 'Doe',
      gender: 'Male',
      jobTitle: 'Customer Service Representative',
      workPhone: '555-555-5555',
      workPhoneExtension: null,
      skypeUsername: 'JohnDoe',
      facebook: 'JohnDoeFacebook',
    },
  ],
};

/**
 * Field names of "List of Field Names", https://www.bamboohr.com/api/documentation/employees.php (now List Fields,
 * https://documentation.bamboohr.com/reference/list-fields), the ones the tests use; `customShirtSize` stands for a
 * custom field's alias.
 */
export const FIELD_NAMES = [
  'address1',
  'city',
  'country',
  'dateOfBirth',
  'department',
  'displayName',
  'division',
  'employeeNumber',
  'firstName',
  'gender',
  'hireDate',
  'homeEmail',
  'jobTitle',
  'lastName',
  'location',
  'mobilePhone',
  'preferredName',
  'supervisor',
  'workEmail',
  'workPhone',
  'customShirtSize',
] as const;

/**
 * Get Time Off Requests, "Sample Response" (JSON): https://documentation.bamboohr.com/reference/time-off-get-time-off-
 * requests-1. Its curly quotes are made straight; `notes` is in the shape the JSON answer gives it.
 */
export const TIME_OFF_REQUEST = {
  id: '1',
  employeeId: '1',
  name: 'Jon Doe',
  status: { lastChanged: '2011-08-14', lastChangedByUserId: '1', status: 'approved' },
  start: '2001-01-01',
  end: '2001-01-06',
  created: '2011-08-13',
  type: { id: '1', name: 'Vacation', icon: 'time-off-calendar' },
  amount: { unit: 'days', amount: '5' },
  actions: { view: true, edit: true, cancel: true, approve: true, deny: true, bypass: true },
  dates: {
    '2001-01-01': '1',
    '2001-01-02': '1',
    '2001-01-03': '1',
    '2001-01-04': '0',
    '2001-01-05': '1',
    '2001-01-06': '1',
  },
  notes: { employee: 'Relaxing in the country for a few days.', manager: 'Have fun!' },
};

/** Time off types of the replayed company (List Time Off Types, https://documentation.bamboohr.com/reference/list-time-off-types). */
export const TIME_OFF_TYPES: Record<string, { name: string; icon: string; unit: 'days' | 'hours' }> = {
  '1': { name: 'Vacation', icon: 'time-off-calendar', unit: 'days' },
  '78': { name: 'Sick', icon: 'medical-cross', unit: 'hours' },
};

/**
 * Error answers, https://documentation.bamboohr.com/docs/api-details ("Standard HTTP Responses"): the status says
 * what happened, and "We provide a header X-BambooHR-Error-Messsage [sic]" with details; BambooHR throttles with 503
 * and Retry-After. The header's name is sent as BambooHR's answers spell it, X-BambooHR-Error-Message.
 */
export const ERROR_HEADER = 'x-bamboohr-error-message';
