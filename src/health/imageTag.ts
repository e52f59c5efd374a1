// Image references as ECS reports them, and the commit an image runs: the pipeline tags images
// with the full commit id, so a hex tag of 7 to 40 characters is taken for one.

export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** `registry[:port]/repo[:tag][@sha256:…]`; a colon before the last slash belongs to the port. */
export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  }
  return { repository: rest, digest };
}

export function commitFromTag(tag: string | undefined): string | undefined {
  return tag !== undefined && /^[0-9a-f]{7,40}$/i.test(tag) ? tag.toLowerCase() : undefined;
}

/** `arn:…:task-definition/web:12` → { family: 'web', revision: 12 }. */
export function taskDefinitionName(arn: string | undefined): { family: string; revision?: number } {
  if (!arn) {
    return { family: '' };
  }
  const tail = arn.split('/').pop() ?? arn;
  const [family, revision] = tail.split(':');
  const n = revision !== undefined ? Number(revision) : NaN;
  return Number.isInteger(n) ? { family: family ?? tail, revision: n } : { family: family ?? tail };
}
