// What a STORAGE_URL names, and where the browser fetches its objects from.
// No SDK and no server-only imports: next.config.ts and the proxy use it too.

/** `s3://bucket` or `s3://bucket/some/prefix` → bucket and prefix. */
export function parseStorageUrl(url: string): { bucket: string; prefix?: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error(`not an s3:// URL: ${url}`);
  const prefix = (match[2] ?? "").split("/").filter(Boolean).join("/");
  return { bucket: match[1]!, prefix: prefix || undefined };
}

export type BucketLocation = { storageUrl?: string; endpoint?: string; region: string; forcePathStyle: boolean };

/**
 * The origins of the presigned URLs that /api/assets/{id}/file redirects to:
 * the endpoint itself for path-style URLs, `<bucket>.<endpoint host>` for
 * virtual-hosted ones (the SDK's choice unless forced to path style or the
 * bucket name cannot be a host name label). Empty without object storage.
 */
export function bucketOrigins({ storageUrl, endpoint, region, forcePathStyle }: BucketLocation): string[] {
  if (!storageUrl) return [];
  const { bucket } = parseStorageUrl(storageUrl);
  const base = new URL(endpoint ?? `https://s3.${region}.amazonaws.com`);
  const hostable = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);
  if (forcePathStyle || !hostable) return [base.origin];
  const origins = [`${base.protocol}//${bucket}.${base.host}`];
  // AWS may sign us-east-1 URLs on the legacy global name.
  if (!endpoint && region === "us-east-1") origins.push(`https://${bucket}.s3.amazonaws.com`);
  return origins;
}
