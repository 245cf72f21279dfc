// The "Publish to marketplace" form's pure parts: which field an API refusal names (so the dialog shows it there),
// the next minor version to suggest, and the request bodies (docs/decisions/068).
import type { ListingVisibility } from '../../../contracts/marketplace';

export const PUBLISH_FIELDS = [
  'title',
  'description',
  'category',
  'tags',
  'icon',
  'visibility',
  'version',
  'changelog',
] as const;
export type PublishField = (typeof PUBLISH_FIELDS)[number];

export interface PublishFormValues {
  title: string;
  description: string;
  category: string;
  tags: string;
  icon: string;
  visibility: ListingVisibility;
  version: string;
  changelog: string;
}

/**
 * The field an API refusal is about, from its message: the store's refusals start with the field ("Title must…",
 * "Version 1.0 of…", 'Version "1.0" is not semver'), the schema's name a path ("Invalid request: tags.3: …"), and a
 * body over the size limit is the description's doing. Undefined: show it above the form.
 */
export function fieldOfRefusal(message: string, status?: number): PublishField | undefined {
  if (status === 413) return 'description';
  const path = /^Invalid request: (\w+)/.exec(message)?.[1];
  if (path && (PUBLISH_FIELDS as readonly string[]).includes(path)) return path as PublishField;
  const first = /^(\w+)/.exec(message)?.[1]?.toLowerCase();
  if (first === 'tag' || /^A listing has at most \d+ tags/.test(message)) return 'tags';
  if (first && (PUBLISH_FIELDS as readonly string[]).includes(first)) return first as PublishField;
  return undefined;
}

/** The version to suggest after `latest`: the next minor (1.2.3 → 1.3.0); 1.0.0 when there is none or it is odd. */
export function nextMinorVersion(latest: string | null | undefined): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(latest ?? '');
  if (!m) return '1.0.0';
  return `${m[1]}.${Number(m[2]) + 1}.0`;
}

export const tagsOf = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

export function firstListingBody(workflowId: string, v: PublishFormValues) {
  return {
    workflowId,
    title: v.title,
    description: v.description,
    category: v.category,
    tags: tagsOf(v.tags),
    icon: v.icon,
    visibility: v.visibility,
    version: v.version.trim(),
    changelog: v.changelog,
  };
}

export function newVersionBody(workflowId: string, v: Pick<PublishFormValues, 'version' | 'changelog'>) {
  return { workflowId, version: v.version.trim(), changelog: v.changelog };
}
