// Listing versions: what parses, the error for what does not, and semver precedence (prereleases included).
import { compareSemver, latestSemver, parseSemver } from './semver';

describe('parseSemver', () => {
  test('reads MAJOR.MINOR.PATCH and a prerelease', () => {
    expect(parseSemver('1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [] });
    expect(parseSemver('2.0.0-rc.1')).toEqual({ major: 2, minor: 0, patch: 0, prerelease: ['rc', '1'] });
  });

  test.each(['1.0', '1', 'v1.0.0', '01.0.0', '1.0.0+build', '1.0.0-', '1.0.0-01', ' 1.0.0', ''])(
    '"%s" is refused with the expected shape named',
    (text) => {
      expect(() => parseSemver(text)).toThrow(`Version "${text}" is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)`);
    },
  );
});

describe('compareSemver', () => {
  test('orders by semver precedence', () => {
    const sorted = [
      '1.0.0',
      '1.0.0-alpha',
      '0.9.12',
      '1.0.0-alpha.1',
      '1.0.0-beta.11',
      '1.0.0-beta.2',
      '1.10.0',
      '1.2.0',
    ];
    sorted.sort(compareSemver);
    expect(sorted).toEqual([
      '0.9.12',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0',
      '1.2.0',
      '1.10.0',
    ]);
    expect(compareSemver('1.2.3', '1.2.3')).toBe(0);
  });

  test('latestSemver picks the greatest', () => {
    expect(latestSemver(['1.9.0', '1.10.0', '1.10.0-rc.1'])).toBe('1.10.0');
    expect(latestSemver([])).toBeUndefined();
  });
});
