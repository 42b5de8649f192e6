/**
 * What the tests need from the machine beyond node_modules, in one place: how each is found, and what to do
 * when it is not. Outside CI a missing prerequisite skips the tests that need it, and the skip says what is
 * missing and how to get it. Under `CI=true` (set by `.ci/run`) it throws instead, so the run fails: CI must
 * never pass by silently testing less. Something that is present but broken (a server that will not start, a
 * CLI whose `--version` fails, an `initdb` that errors) is never a skip, in or out of CI.
 *
 * ```ts
 * test('the official bundle loads', { skip: skipIfMissing('bundle') }, () => { … });
 * ```
 *
 * The README's "Test prerequisites" table lists the same entries; keep the two together.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { findCachedBundle } from '../../src/registry/schema-cache.js';

/** Set by `.ci/run` (and by most CI services). */
const IN_CI = process.env.CI === 'true';

const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../../..');

/** Where the project's own test data keeps the bundle: ../shared beside the checkout (never copied into it). */
const SHARED_BUNDLE = resolve(REPO_ROOT, '../shared/cfn-schemas/CloudformationSchema.zip');

/**
 * AWS's CloudFormationSchema.zip, test data kept outside the repository: ../shared/cfn-schemas beside the
 * checkout, else the copy `ccapi schemas pull` cached for us-east-1 (so a fresh clone gets there with one
 * command), else the ../shared path (absent: the tests that need it skip, or fail under CI=true).
 * CCAPI_TEST_SCHEMAS_ZIP points elsewhere (or, pointing at nothing, shows what its absence does).
 */
export const OFFICIAL_BUNDLE =
  process.env.CCAPI_TEST_SCHEMAS_ZIP ?? (existsSync(SHARED_BUNDLE) ? SHARED_BUNDLE : (findCachedBundle('us-east-1') ?? SHARED_BUNDLE));

/** The built-in catalogue `npm run build` writes. */
const CATALOGUE_DIR = join(REPO_ROOT, 'dist/catalogue');

const PREREQUISITES = {
  bundle: {
    what: 'the official CloudFormation schema bundle',
    howToGet: `run \`node dist/cli.js schemas pull\` (caches it for us-east-1), or put AWS's CloudformationSchema.zip at ../shared/cfn-schemas/ beside the checkout (curl -o it from https://schema.cloudformation.us-east-1.amazonaws.com/CloudformationSchema.zip), or set CCAPI_TEST_SCHEMAS_ZIP`,
  },
  postgres: {
    what: 'a reachable PostgreSQL server',
    howToGet: 'start one on 127.0.0.1:5432 that lets `postgres` in without a password (apt-get install postgresql; .ci/run starts the local cluster), or set CCAPI_TEST_POSTGRES_URL=postgres://user:password@host:port/anydb',
  },
  postgresServer: {
    what: 'the PostgreSQL server binaries (initdb, pg_ctl)',
    howToGet: 'apt-get install postgresql (any version: the newest under /usr/lib/postgresql/*/bin is used, else initdb on PATH); as root, a `postgres` user to run them as',
  },
  boto3: {
    what: 'python3 with boto3',
    howToGet: 'apt-get install python3-boto3, or pip install boto3 for the python3 on PATH',
  },
  awsCli: {
    what: 'the AWS CLI (`aws`)',
    howToGet: 'install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) or pip install awscli, so that `aws` is on PATH',
  },
  catalogue: {
    what: 'the built-in catalogue (dist/catalogue)',
    howToGet: 'run npm run build',
  },
  chromium: {
    what: 'Chromium',
    howToGet: 'apt-get install chromium, or set CCAPI_TEST_CHROMIUM to a Chromium or Chrome binary',
  },
} as const;

export type Prerequisite = keyof typeof PREREQUISITES;

/**
 * The skip reason for a prerequisite that is not there; under CI=true, throws it as an error instead.
 * `detail` says what was looked at ("not at /path", "ECONNREFUSED 127.0.0.1:5432").
 */
function missing(name: Prerequisite, detail: string): string {
  const { what, howToGet } = PREREQUISITES[name];
  if (IN_CI) throw new Error(`CI=true and a test prerequisite is missing: ${what} (${detail}). To get it: ${howToGet}. Outside CI the tests that need it are skipped.`);
  return `needs ${what} (${detail}); to get it: ${howToGet}`;
}

/**
 * For `{ skip }`: undefined when the prerequisite is there, the reason to skip when it is not (outside CI).
 * Throws under CI=true when it is missing, and always when it is there but broken.
 */
export function skipIfMissing(name: Exclude<Prerequisite, 'postgres'>): string | undefined {
  if (!checked.has(name)) checked.set(name, CHECKS[name]());
  const detail = checked.get(name);
  return detail === undefined ? undefined : missing(name, detail);
}

/**
 * Why a connection to the test PostgreSQL failed, as a skip reason when nothing listens there (refused,
 * unknown host, timeout), or thrown (under CI=true, or for any other error: a server that answers but refuses
 * us is misconfigured, not missing).
 */
export function skipIfUnreachable(url: string, error: unknown): string {
  const e = error as Error & { code?: string };
  const where = new URL(url).host;
  const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOENT'].includes(e.code ?? '') || /timeout/i.test(e.message);
  if (!unreachable) throw new Error(`PostgreSQL at ${where} answered but the test cannot use it: ${e.message}`, { cause: error });
  return missing('postgres', `nothing answers at ${where}: ${e.message}`);
}

/**
 * The path of a PostgreSQL server binary (`initdb`, `pg_ctl`, …) of the newest version installed: Debian keeps
 * each major version in /usr/lib/postgresql/<version>/bin; elsewhere it is on PATH. Undefined when there is none.
 */
export function postgresBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => executable(join(root, v, 'bin', name)))
        .sort((x, y) => Number.parseFloat(y) - Number.parseFloat(x))
    : [];
  return versions[0] !== undefined ? join(root, versions[0], 'bin', name) : onPath(name);
}

/** The Chromium to drive, if any (for the web console's tests, test/console). */
export function chromiumPath(): string | undefined {
  return process.env.CCAPI_TEST_CHROMIUM ?? ['chromium', 'chromium-browser', 'google-chrome'].map(onPath).find((p) => p !== undefined);
}

/** Each check answers undefined (present) or what it found missing; a broken install throws. */
const CHECKS: Record<Exclude<Prerequisite, 'postgres'>, () => string | undefined> = {
  bundle: () => (existsSync(OFFICIAL_BUNDLE) ? undefined : `not at ${OFFICIAL_BUNDLE}`),
  catalogue: () => (existsSync(join(CATALOGUE_DIR, 'index.json')) ? undefined : `no index.json in ${CATALOGUE_DIR}`),
  postgresServer: () => {
    if (postgresBin('initdb') === undefined || postgresBin('pg_ctl') === undefined) return 'no initdb and pg_ctl under /usr/lib/postgresql/*/bin or on PATH';
    if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root, and there is no `postgres` user to run initdb as (it refuses root)';
    return undefined;
  },
  boto3: () => {
    const run = spawnSync('python3', ['-c', 'import boto3, botocore'], { encoding: 'utf8' });
    if (notFound(run)) return 'no python3 on PATH';
    if (run.status !== 0 && /ModuleNotFoundError/.test(run.stderr)) return `python3 on PATH has no boto3: ${run.stderr.trim().split('\n').pop()}`;
    if (run.status !== 0) throw new Error(`python3 -c 'import boto3' failed (${run.status ?? run.signal}): ${run.stderr}`);
    return undefined;
  },
  awsCli: () => {
    const run = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    if (notFound(run)) return 'no aws on PATH';
    if (run.status !== 0) throw new Error(`aws --version failed (${run.status ?? run.signal}): ${run.stderr || run.stdout}`);
    return undefined;
  },
  chromium: () => (chromiumPath() === undefined ? 'no chromium, chromium-browser or google-chrome on PATH, and CCAPI_TEST_CHROMIUM is not set' : undefined),
};

const checked = new Map<Prerequisite, string | undefined>();

/** The command does not exist: not on PATH, or a shim (pyenv's) that says so with the shell's 127. */
function notFound(run: ReturnType<typeof spawnSync>): boolean {
  return (run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || run.status === 127;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find(executable);
}
