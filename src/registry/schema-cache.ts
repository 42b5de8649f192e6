/**
 * The local copy of AWS's official schema bundle: where it lives (XDG cache), and downloading it safely
 * (to a temporary file, verified, then renamed over the previous copy, so a failed pull never breaks serve).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { openSchemaBundle, SchemaBundleError } from './bundle.js';

export const BUNDLE_FILE_NAME = 'CloudformationSchema.zip';

type Env = Record<string, string | undefined>;

/** The region `ccapi schemas pull` and serve's cache lookup use when none is given: as the AWS CLI picks it. */
export function defaultRegion(env: Env = process.env): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** AWS's public schema endpoint for a region, e.g. https://schema.cloudformation.us-east-1.amazonaws.com/CloudformationSchema.zip */
export function bundleUrl(region: string): string {
  return `https://schema.cloudformation.${region}.amazonaws.com/${BUNDLE_FILE_NAME}`;
}

/**
 * The folder under which pulled bundles are kept, one sub-folder per region: `$XDG_CACHE_HOME/ccapi/schemas`,
 * or `~/.cache/ccapi/schemas`. The XDG spec says a relative XDG_CACHE_HOME is invalid and to be ignored.
 */
export function schemaCacheDir(env: Env = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'ccapi', 'schemas');
}

/** Where the bundle of a region is kept: `<cacheDir>/<region>/CloudformationSchema.zip`. */
export function cachedBundlePath(region: string, cacheDir: string = schemaCacheDir()): string {
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`invalid region ${JSON.stringify(region)}`);
  return join(cacheDir, region, BUNDLE_FILE_NAME);
}

/** The cached bundle of a region when one was pulled, else undefined. */
export function findCachedBundle(region: string, cacheDir?: string): string | undefined {
  const path = cachedBundlePath(region, cacheDir);
  return existsSync(path) ? path : undefined;
}

export type PullPhase = 'connecting' | 'downloading' | 'verifying';

export interface PullProgress {
  phase: PullPhase;
  /** The URL asked for (the response may come from where it redirected). */
  url: string;
  received: number;
  /** From Content-Length, when the server sent one. */
  total?: number;
}

export interface PullOptions {
  region: string;
  /** Default: AWS's endpoint for the region. */
  url?: string;
  cacheDir?: string;
  onProgress?: (progress: PullProgress) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  path: string;
  url: string;
  bytes: number;
  /** Usable resource type schemas in the bundle. */
  types: number;
  /** Files of the bundle that were skipped (see SchemaBundle.warnings). */
  warnings: readonly string[];
}

/** A pull that failed; the previously cached bundle, if any, is untouched. */
export class SchemaPullError extends Error {
  override name = 'SchemaPullError';
}

/**
 * Downloads a region's bundle into the cache. Redirects are followed; the bytes go to a temporary file next
 * to the destination, which replaces the cached bundle only once it opens as a bundle with at least one schema.
 */
export async function pullSchemaBundle(options: PullOptions): Promise<PullResult> {
  const url = options.url ?? bundleUrl(options.region);
  const path = cachedBundlePath(options.region, options.cacheDir);
  const progress = (phase: PullPhase, received: number, total?: number) =>
    options.onProgress?.({ phase, url, received, ...(total === undefined ? {} : { total }) });

  progress('connecting', 0);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    throw new SchemaPullError(`cannot download ${url}: ${networkReason(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new SchemaPullError(`cannot download ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const length = Number(response.headers.get('content-length'));
  const total = response.headers.has('content-length') && Number.isSafeInteger(length) && length >= 0 ? length : undefined;

  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${BUNDLE_FILE_NAME}.${process.pid}-${randomUUID().slice(0, 8)}.part`);
  try {
    let received = 0;
    const file = await open(temp, 'w');
    try {
      progress('downloading', 0, total);
      if (response.body) {
        try {
          for await (const chunk of response.body) {
            await file.write(chunk);
            received += chunk.length;
            progress('downloading', received, total);
          }
        } catch (error) {
          throw new SchemaPullError(`download of ${url} interrupted after ${received} bytes: ${networkReason(error)}`);
        }
      }
      await file.sync();
    } finally {
      await file.close();
    }
    if (total !== undefined && received !== total) {
      throw new SchemaPullError(`download of ${url} incomplete: ${received} of ${total} bytes`);
    }

    progress('verifying', received, total);
    const { types, warnings } = verifyBundle(temp, url);
    await rename(temp, path);
    return { path, url: response.url || url, bytes: received, types, warnings };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Opens the download (a `.part` file, so always read as a zip) as serve will, parsing every schema once to count the usable ones. */
function verifyBundle(file: string, url: string): { types: number; warnings: readonly string[] } {
  try {
    const bundle = openSchemaBundle(file);
    const types = bundle.typeNames().length;
    if (types === 0) throw new SchemaPullError(`the download from ${url} holds no usable CloudFormation schema (${bundle.warnings[0]})`);
    return { types, warnings: bundle.warnings };
  } catch (error) {
    if (error instanceof SchemaBundleError) {
      throw new SchemaPullError(`the download from ${url} is not a schema bundle: ${error.reason}`);
    }
    throw error;
  }
}

/** undici reports "fetch failed" with the useful part (ECONNREFUSED, ENOTFOUND …) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return (error as Error).message;
}
