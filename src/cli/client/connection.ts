/**
 * What every client command (`requests`, `resources`, `faults`, `reset`) shares: where the server is, how to
 * sign for it, and how to reach its admin routes. The options go on each client command rather than on the
 * program, so they may follow the command as in the AWS CLI (`ccapi requests ls --region eu-west-1`) without
 * clashing with `serve --admin-token` or `schemas pull --region`.
 */
// The SDK is loaded when a client command runs, never by `ccapi serve`: importing it costs ~100 ms of start-up.
import type { CloudControlClient } from '@aws-sdk/client-cloudcontrol';
import { Option, type Command } from 'commander';
import { CliError } from '../catalogue.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output.js';

// The SDK warns once per process that its releases after January 2027 will need Node 22. ccapi pins its SDK
// version exactly (package.json), so the notice is about releases it will not run; on every command it is noise.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  const text = typeof warning === 'string' ? warning : warning.message;
  if (type === 'NodeVersionSupportWarning' || /will require node >=22/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

/** `ccapi serve`'s own default address (src/server/app.ts, DEFAULT_HOST and DEFAULT_PORT). */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4600';

/**
 * The endpoint when --endpoint-url is not given: the service-specific variable first, then the global one, as
 * the AWS SDKs read them. Source: AWS SDKs and Tools Reference Guide, "Service-specific endpoints"
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html): AWS_ENDPOINT_URL_<SERVICE>
 * wins over AWS_ENDPOINT_URL; Cloud Control's service identifier there is "CloudControl".
 */
export function defaultEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_ENDPOINT_URL_CLOUDCONTROL || env.AWS_ENDPOINT_URL || DEFAULT_ENDPOINT;
}

/**
 * Region when the SDK's chain finds none (no AWS_REGION, no profile region): the server's own default region
 * in open mode is us-east-1 as well, so unconfigured clients see the same tenant.
 */
export const FALLBACK_REGION = 'us-east-1';

/**
 * Credentials when the SDK's chain finds none. Open mode does not check signatures, so any key works there
 * (README, "What it emulates": in open mode any key maps to an account); in strict mode the server rejects these and says so.
 */
const PLACEHOLDER_CREDENTIALS = { accessKeyId: 'AKIDCCAPIPLACEHOLDER', secretAccessKey: 'ccapi-open-mode-placeholder' };

export interface ConnectionOptions {
  endpointUrl: string;
  region?: string;
  profile?: string;
  output: OutputFormat;
  adminToken?: string;
}

/** --endpoint-url, --output, and (for Cloud Control calls) --region and --profile. */
export function addConnectionOptions(command: Command, { signing = true } = {}): Command {
  command
    .addOption(new Option('--endpoint-url <url>', 'the ccapi server').default(defaultEndpoint(), '$AWS_ENDPOINT_URL_CLOUDCONTROL, $AWS_ENDPOINT_URL or ' + DEFAULT_ENDPOINT))
    .addOption(new Option('--output <format>', 'table for people, json for scripts').choices(OUTPUT_FORMATS).default('table'));
  if (signing) {
    command
      .addOption(new Option('--region <region>', 'region (the tenant), as the AWS CLI reads it: $AWS_REGION, the profile, else us-east-1'))
      .addOption(new Option('--profile <name>', 'AWS profile for credentials and region (default: the usual AWS credential chain)'));
  }
  return command;
}

/** --admin-token, read as `ccapi serve` reads it: the bearer token strict mode wants on /_ccapi/* routes. */
export function addAdminTokenOption(command: Command): Command {
  return command.addOption(new Option('--admin-token <token>', 'bearer token for the /_ccapi admin routes of a strict-mode server').env('CCAPI_ADMIN_TOKEN'));
}

function endpointOf(options: ConnectionOptions): string {
  let url: URL;
  try {
    url = new URL(options.endpointUrl);
  } catch {
    throw new CliError(`--endpoint-url ${options.endpointUrl} is not a URL (e.g. ${DEFAULT_ENDPOINT})`);
  }
  return url.toString().replace(/\/$/, '');
}

/**
 * A Cloud Control client on the usual AWS chains (environment, profile, SSO, ...), so the commands sign as the
 * AWS CLI would and work against strict mode; with nothing configured, the fallbacks above.
 */
export async function cloudControlClient(options: ConnectionOptions): Promise<CloudControlClient> {
  const { CloudControlClient } = await import('@aws-sdk/client-cloudcontrol');
  const endpoint = endpointOf(options);
  const base = { endpoint, ...(options.region ? { region: options.region } : {}), ...(options.profile ? { profile: options.profile } : {}) };
  const probe = new CloudControlClient(base);
  let region = options.region;
  if (!region) {
    try {
      region = await probe.config.region();
    } catch {
      region = FALLBACK_REGION;
    }
  }
  let credentials;
  try {
    credentials = await probe.config.credentials();
  } catch (error) {
    // A named profile that does not work is the user's to fix; only "nothing configured" falls back.
    if (options.profile) throw new CliError(`cannot load credentials for profile ${options.profile}: ${(error as Error).message}`);
    credentials = PLACEHOLDER_CREDENTIALS;
  }
  probe.destroy();
  return new CloudControlClient({ ...base, region, credentials });
}

export class AdminRouteError extends CliError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Calls an admin route (plain JSON, not the AWS envelope) and returns its body; a non-2xx answer throws its message. */
export async function adminCall<T>(options: ConnectionOptions, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.adminToken) headers.authorization = `Bearer ${options.adminToken}`;
  let res: Response;
  try {
    res = await fetch(`${endpointOf(options)}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  } catch (error) {
    throw new CliError(`cannot reach ${endpointOf(options)}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message} (is "ccapi serve" running there? see --endpoint-url)`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const problem = parsed as { error?: string; message?: string } | undefined;
    const why = problem?.message ?? (text.slice(0, 200) || res.statusText);
    const hint = (res.status === 401 || res.status === 403) && !options.adminToken ? ' (give --admin-token or set CCAPI_ADMIN_TOKEN)' : '';
    throw new AdminRouteError(`${method} ${path}: ${res.status} ${problem?.error ?? ''} ${why}${hint}`.replace(/ +/g, ' '), res.status);
  }
  return parsed as T;
}

/** An SDK error as one line, named as AWS names it (e.g. "ResourceNotFoundException: ..."). */
export function describeSdkError(error: unknown, endpoint: string): string {
  const e = error as Error & { code?: string; cause?: { code?: string } };
  // A network failure (the SDK wraps Node's error): said as where and why, not as an AWS error name.
  const code = e.code ?? e.cause?.code ?? /\b(ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH)\b/.exec(e.message)?.[1];
  if (code && /^E[A-Z]+$/.test(code)) return `cannot reach ${endpoint}: ${code} (is "ccapi serve" running there? see --endpoint-url)`;
  return `${e.name}: ${e.message}`;
}
