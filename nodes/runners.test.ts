// Every activity node version in the registry has its runner, found by type and version; a version that
// lost its runner, or a type that is not a folder, fails clearly.
import { registry } from './index';
import { loadRunner, runnerExport } from './runners';

const activitySpecs = registry.all().filter((spec) => spec.runtime.kind === 'activity');

test('the registry has activity nodes to check', () => {
  expect(activitySpecs.map((s) => s.type)).toEqual(expect.arrayContaining(['http-request', 'code', 'set-fields']));
});

test.each(activitySpecs.map((s) => [`${s.type}@${s.version}`, s.type, s.version] as const))(
  '%s has a runner',
  async (_key, type, version) => {
    await expect(loadRunner(type, version)).resolves.toEqual(expect.any(Function));
  },
);

test('a version without its runner export fails naming the export and the node', async () => {
  await expect(loadRunner('set-fields', 99)).rejects.toMatchObject({
    code: 'runner-missing',
    message: expect.stringContaining('does not export `runV99`, the runner of set-fields@99'),
  });
  expect(runnerExport(1)).toBe('run');
  expect(runnerExport(3)).toBe('runV3');
});

test('a type that is not a node folder never reaches an import path', async () => {
  await expect(loadRunner('../../etc/passwd', 1)).rejects.toMatchObject({ code: 'runner-missing' });
  await expect(loadRunner('no-such-node', 1)).rejects.toMatchObject({
    code: 'runner-missing',
    message: expect.stringContaining('cannot load nodes/no-such-node/run.ts'),
  });
});
