/** `ccapi schemas pull`: downloads AWS's official schema bundle into the cache `ccapi serve` reads it from. */
import { Option, type Command } from 'commander';
import { bundleUrl, defaultRegion, pullSchemaBundle, SchemaPullError, type PullProgress } from '../registry/schema-cache.js';
import { cacheDirOption, CliError } from './catalogue.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const percent = (received: number, total: number) => (total === 0 ? 100 : Math.floor((received / total) * 100));

/** The spinner's text for a progress report. */
export function progressText(p: PullProgress): string {
  switch (p.phase) {
    case 'connecting':
      return `Connecting to ${p.url}`;
    case 'downloading':
      return p.total === undefined
        ? `Downloading ${p.url}  ${formatBytes(p.received)}`
        : `Downloading ${p.url}  ${formatBytes(p.received)} of ${formatBytes(p.total)} (${percent(p.received, p.total)}%)`;
    case 'verifying':
      return `Verifying the bundle (${formatBytes(p.received)})`;
  }
}

interface ProgressView {
  update(progress: PullProgress): void;
  succeed(text: string): void;
  stop(): void;
}

/** On a terminal: one spinner line rewritten in place. */
async function spinnerView(): Promise<ProgressView> {
  const { default: ora } = await import('ora'); // only this command needs it: keep it off serve's start-up
  // discardStdin would put stdin in raw mode, delaying Ctrl-C while the bundle is verified synchronously.
  const spinner = ora({ stream: process.stdout, discardStdin: false }).start();
  return {
    update: (p) => (spinner.text = progressText(p)),
    succeed: (text) => spinner.succeed(text),
    stop: () => spinner.stop(),
  };
}

/**
 * Piped or logged: plain lines, few of them. With a known length, one at each quarter; without, one per MiB.
 */
export function lineView(write: (line: string) => void): ProgressView {
  let started = false;
  let nextQuarter = 25;
  let nextMiB = 1;
  return {
    update(p) {
      if (p.phase === 'downloading') {
        if (!started) {
          started = true;
          write(`Downloading ${p.url}${p.total === undefined ? '' : ` (${formatBytes(p.total)})`}`);
        }
        if (p.total !== undefined) {
          const pct = percent(p.received, p.total);
          if (pct < nextQuarter) return;
          while (nextQuarter <= pct) nextQuarter += 25;
          write(`  ${pct}%  ${formatBytes(p.received)} of ${formatBytes(p.total)}`);
        } else if (p.received >= nextMiB * 1024 * 1024) {
          nextMiB = Math.floor(p.received / (1024 * 1024)) + 1;
          write(`  ${formatBytes(p.received)}`);
        }
      } else if (p.phase === 'verifying') {
        write(progressText(p));
      }
    },
    succeed: (text) => write(text),
    stop: () => undefined,
  };
}

interface PullCommandOptions {
  region: string;
  url?: string;
  cacheDir?: string;
}

export function registerSchemas(program: Command): void {
  const schemas = program.command('schemas').description('Official CloudFormation registry schemas');
  schemas
    .command('pull')
    .description(`Download the official schema bundle of a region (${bundleUrl('<region>')}) into the cache; "ccapi serve" then uses it`)
    .addOption(new Option('--region <region>', 'region whose bundle to download').default(defaultRegion(), '$AWS_REGION, $AWS_DEFAULT_REGION or us-east-1'))
    .addOption(new Option('--url <url>', 'download from this URL instead (the cache still files it under --region)'))
    .addOption(cacheDirOption())
    .action(async (opts: PullCommandOptions, command: Command) => {
      // A pseudo-terminal that reports no width (`script` without a size, some CI runners) sends ora's line
      // counting into an endless clear loop: the spinner needs a real terminal.
      const terminal = process.stdout.isTTY && (process.stdout.columns ?? 0) > 0;
      const view = terminal ? await spinnerView() : lineView((line) => process.stdout.write(`${line}\n`));
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      let result;
      try {
        result = await pullSchemaBundle({
          region: opts.region,
          ...(opts.url ? { url: opts.url } : {}),
          ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
          onProgress: (p) => view.update(p),
          signal: abort.signal,
        });
      } catch (error) {
        view.stop();
        if (abort.signal.aborted) process.exit(130);
        if (error instanceof SchemaPullError) throw new CliError(error.message);
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
      }
      view.succeed(
        `Saved ${result.types.toLocaleString('en-US')} resource type schemas (${formatBytes(result.bytes)}) for ${opts.region} to ${result.path}`,
      );
      if (result.warnings.length > 0) {
        process.stderr.write(`ccapi: ${result.warnings.length} warning(s) about the bundle:\n${result.warnings.map((w) => `  ${w}\n`).join('')}`);
      }
      // serve looks in the default region's folder of the same cache (--cache-dir there too, or CCAPI_CACHE_DIR).
      if (opts.region === defaultRegion() && command.getOptionValueSource('cacheDir') !== 'cli') {
        process.stdout.write('"ccapi serve" and "ccapi types" use it by default.\n');
      } else {
        process.stdout.write(`Use it with: ccapi serve --schemas ${result.path}\n`);
      }
    });
}
