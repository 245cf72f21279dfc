// Semantic versions of marketplace listings (semver.org 2.0: MAJOR.MINOR.PATCH, an optional prerelease; build
// metadata is refused, since it would make two equal-precedence versions). Small enough not to need a package.
import { MarketplaceError } from '../../contracts/marketplace';

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated identifiers after `-`; empty for a release. */
  prerelease: string[];
}

const NUMBER = '(0|[1-9]\\d{0,8})';
const IDENT = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENT}(?:\\.${IDENT})*))?$`);

export function parseSemver(text: string): SemVer {
  const match = typeof text === 'string' && text.length <= 64 ? SEMVER.exec(text) : null;
  if (!match)
    throw new MarketplaceError(
      'invalid',
      `Version "${String(text).slice(0, 64)}" is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)`,
    );
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

export function isSemver(text: string): boolean {
  try {
    parseSemver(text);
    return true;
  } catch {
    return false;
  }
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(a) - Number(b));
  if (an !== bn) return an ? -1 : 1; // numeric identifiers rank below alphanumeric ones
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative, zero or positive as `a` precedes, equals or follows `b` (semver precedence). */
export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  const core = Math.sign(x.major - y.major) || Math.sign(x.minor - y.minor) || Math.sign(x.patch - y.patch);
  if (core !== 0) return core;
  // A prerelease precedes its release: 1.0.0-rc.1 < 1.0.0.
  if (x.prerelease.length === 0 || y.prerelease.length === 0)
    return Math.sign(y.prerelease.length - x.prerelease.length);
  for (let i = 0; i < Math.min(x.prerelease.length, y.prerelease.length); i++) {
    const c = compareIdentifiers(x.prerelease[i], y.prerelease[i]);
    if (c !== 0) return c;
  }
  return Math.sign(x.prerelease.length - y.prerelease.length);
}

/** The greatest of `versions`, or undefined for none. */
export function latestSemver(versions: readonly string[]): string | undefined {
  return versions.reduce<string | undefined>((best, v) => (!best || compareSemver(v, best) > 0 ? v : best), undefined);
}
