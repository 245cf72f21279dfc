// Which field an API refusal lands on, the suggested next version, and the request bodies.
import { fieldOfRefusal, firstListingBody, nextMinorVersion, tagsOf } from './publish-form';

test('each refusal of the listings API names its field', () => {
  expect(fieldOfRefusal('Version "1.0" is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)')).toBe('version');
  expect(fieldOfRefusal('Version 1.0.0 of "Sync" already exists.')).toBe('version');
  expect(fieldOfRefusal('Title must be 1 to 120 characters.')).toBe('title');
  expect(fieldOfRefusal('Description is 60 KB; the limit is 50 KB. Shorten it.')).toBe('description');
  expect(fieldOfRefusal('The request is larger than 256 KB: …', 413)).toBe('description');
  expect(fieldOfRefusal('Category must be 1 to 60 characters.')).toBe('category');
  expect(fieldOfRefusal('A listing has at most 10 tags; this one has 12.')).toBe('tags');
  expect(fieldOfRefusal('Tag "x…" is longer than 40 characters.')).toBe('tags');
  expect(fieldOfRefusal('Icon must be at most 64 characters.')).toBe('icon');
  expect(fieldOfRefusal('Changelog must be at most 10000 characters.')).toBe('changelog');
  expect(fieldOfRefusal('Invalid request: tags.3: String must contain at most 200 character(s).')).toBe('tags');
  expect(fieldOfRefusal('Workflow "Sync" has no published version: publish it first, then list it.')).toBeUndefined();
  expect(fieldOfRefusal('A server error happened')).toBeUndefined();
});

test('the next minor version is suggested', () => {
  expect(nextMinorVersion('1.2.3')).toBe('1.3.0');
  expect(nextMinorVersion('1.0.0')).toBe('1.1.0');
  expect(nextMinorVersion(null)).toBe('1.0.0');
});

test('tags are split on commas, trimmed, and empty ones dropped', () => {
  expect(tagsOf(' hr, onboarding ,, ')).toEqual(['hr', 'onboarding']);
  expect(
    firstListingBody('wf1', {
      title: 'T',
      description: 'D',
      category: 'HR',
      tags: 'a, b',
      icon: '',
      visibility: 'instance',
      version: ' 1.0.0 ',
      changelog: '',
    }),
  ).toEqual({
    workflowId: 'wf1',
    title: 'T',
    description: 'D',
    category: 'HR',
    tags: ['a', 'b'],
    icon: '',
    visibility: 'instance',
    version: '1.0.0',
    changelog: '',
  });
});
