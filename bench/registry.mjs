/**
 * The registry section of the bench (issue #3): ccapi serving AWS's official CloudformationSchema.zip.
 * Run by bench/run.mjs after the other sections, or alone with BENCH_ONLY=registry.
 *
 *   a. Startup: spawn → first 200 from /_ccapi/health with `--schemas ZIP`, median of BENCH_STARTS, each paired
 *      with a built-in-only start (`--no-cached-schemas`) in alternating order.           Target: < 1 s.
 *   b. First use of a type: the HTTP duration of the first CreateResource of a never-seen type on a fresh server
 *      (parse + validator compile + submit), for a deterministic sample of ~40 provisionable types spread over
 *      the bundle, and for the type with the biggest schema. ccapi compiles validators per top-level property and
 *      per definition, on first use, so each DesiredState holds the required properties AND the type's heaviest
 *      property (the one reaching the most schema through $ref, e.g. QuickSight's Definition): the first create
 *      compiles more than the smallest parts (though only the definitions the synthesized value reaches). A warm-up create of AWS::Logs::LogGroup comes first,
 *      so that process-wide first-call costs are not charged to a sampled type. Each create is polled to a
 *      terminal status before the next one starts. BENCH_REGISTRY_ROUNDS fresh servers; per-type median.
 *                                                          Targets: median type < 50 ms; biggest < 600 ms.
 *   c. Cached validation, in this process: openSchemaBundle(ZIP) from dist/registry/bundle.js, a valid model
 *      validated BENCH_REGISTRY_VALIDATIONS times after warm-up, µs per call (median of 3 runs).  Target: < 20 µs.
 *   e. Hostile strings, in this process: compileJavaPattern from dist/registry/java-regex.js, test() of a crafted
 *      50 KB string on official patterns prone to catastrophic backtracking (V8 alone needs seconds for 60
 *      characters of them), median of 3.                                      Target: < 100 ms per string.
 *      For information: the slowest shape for the linear matcher (a long counted repetition, WAFv2's Description).
 *   d. Memory: VmRSS right after the first health 200, with the bundle vs. built-in only (medians of the starts
 *      of a.).                                                                     Target: the index adds < 60 MB.
 *
 * Valid DesiredStates come from the schema-driven synthesizer of the conformance sweep
 * (test/support/synthesize.ts, transpiled on the fly with the project's TypeScript), checked with each type's
 * own validator. The zip is test data: it is read where it lies and nothing derived from it is written.
 *
 * Environment (all optional):
 *   BENCH_SCHEMAS_ZIP              the bundle (default ../shared/cfn-schemas/CloudformationSchema.zip from the repo root)
 *   BENCH_REGISTRY_SAMPLE=40       sampled types for b.
 *   BENCH_REGISTRY_ROUNDS=3        fresh servers for b. (BENCH_QUICK: 1)
 *   BENCH_REGISTRY_VALIDATIONS=100000  validations per measured run in c. (BENCH_QUICK: 20000)
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { call, getStatus, keepAliveAgent, progressEventOf, sleep } from './lib/client.mjs';
import { SERVER_NODE_FLAGS } from './lib/server-command.mjs';
import { cpuSecondsOf, freePort, machineBusySeconds, memoryOf, spawnTracked, stopChild, waitForListening } from './lib/processes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const DEFAULT_SCHEMAS_ZIP = join(ROOT, '..', 'shared', 'cfn-schemas', 'CloudformationSchema.zip');

const MB = 1024 * 1024;
export const REGISTRY_TARGETS = {
  startupMs: 1_000,
  firstCreateMedianMs: 50,
  firstCreateLargestMs: 600,
  validationMicros: 20,
  hostilePatternMs: 100,
  indexRssBytes: 60 * MB,
};

const WARM_UP_TYPE = 'AWS::Logs::LogGroup';
/** Types for c.; the largest is added at run time. Models are checked valid before timing. */
const VALIDATION_MODELS = {
  'AWS::Logs::LogGroup': { LogGroupName: 'bench/validation-group', RetentionInDays: 14, Tags: [{ Key: 'team', Value: 'bench' }] },
  'AWS::S3::Bucket': {
    BucketName: 'bench-validation-bucket',
    VersioningConfiguration: { Status: 'Enabled' },
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    LifecycleConfiguration: { Rules: [{ Id: 'expire', Status: 'Enabled', ExpirationInDays: 30, Prefix: 'tmp/' }] },
    Tags: [{ Key: 'team', Value: 'bench' }],
  },
  'AWS::EKS::Nodegroup': { ClusterName: 'bench', NodeRole: 'arn:aws:iam::000000000000:role/bench', Subnets: ['subnet-0abc'], ScalingConfig: { MinSize: 1, MaxSize: 3, DesiredSize: 2 } },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, digits = 1) => (x === undefined ? undefined : +x.toFixed(digits));

function numberEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

export function registryConfig({ quick }) {
  return {
    zip: process.env.BENCH_SCHEMAS_ZIP || DEFAULT_SCHEMAS_ZIP,
    sample: Math.round(numberEnv('BENCH_REGISTRY_SAMPLE', 40)),
    rounds: Math.round(numberEnv('BENCH_REGISTRY_ROUNDS', quick ? 1 : 3)),
    validations: Math.round(numberEnv('BENCH_REGISTRY_VALIDATIONS', quick ? 20_000 : 100_000)),
  };
}

/** CPU other processes used while fn ran (machine busy minus this process and `pids`), in cores. */
async function otherCoresDuring(pids, fn) {
  const t0 = performance.now();
  const machine0 = machineBusySeconds().busy;
  const self0 = process.cpuUsage();
  const cpu0 = new Map(pids().map((pid) => [pid, safeCpu(pid)]));
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const self = process.cpuUsage(self0);
  let ours = (self.user + self.system) / 1e6;
  for (const pid of pids()) ours += Math.max(0, safeCpu(pid) - (cpu0.get(pid) ?? 0));
  const other = Math.max(0, (machineBusySeconds().busy - machine0 - ours) / seconds);
  return { value, otherCores: round(other, 2) };
}

function safeCpu(pid) {
  try {
    return cpuSecondsOf(pid);
  } catch {
    return 0;
  }
}

/** The environment of every server here: no cached bundle, no CCAPI_SCHEMAS from the caller's shell. */
function serverEnv(tmp) {
  const env = { ...process.env, XDG_CACHE_HOME: join(tmp, 'registry-cache'), CCAPI_CACHE_DIR: join(tmp, 'registry-cache') };
  delete env.CCAPI_SCHEMAS;
  return env;
}

function serveArgs(port, database, zip) {
  return [...SERVER_NODE_FLAGS, CLI, 'serve', '--port', String(port), '--database', database, '--log-level', 'warn', ...(zip ? ['--schemas', zip] : ['--no-cached-schemas'])];
}

/** One start: spawn → first health 200 (polled every 10 ms) → VmRSS → stop. */
async function startOnce(tmp, label, index, zip) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, serveArgs(port, join(tmp, `registry-start-${label}-${index}.db`), zip), { cwd: ROOT, env: serverEnv(tmp) });
  let readyMs;
  let rss;
  let polls = 0;
  const { otherCores } = await otherCoresDuring(
    () => (child.exitCode === null ? [child.pid] : []),
    async () => {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${label} server exited during startup (code ${child.exitCode}): ${child.stderrText.trim()}`);
        const tick = performance.now();
        polls++;
        try {
          if ((await getStatus(base, '/_ccapi/health', { timeoutMs: 1_000 })) === 200) {
            readyMs = performance.now() - t0;
            rss = memoryOf(child.pid).rss;
            break;
          }
        } catch {
          /* not listening yet */
        }
        if (performance.now() - t0 > 15_000) throw new Error(`${label} server: no 200 from /_ccapi/health within 15 s`);
        await sleep(Math.max(0, 10 - (performance.now() - tick)));
      }
    },
  );
  const line = child.stdoutText.split('\n').find((l) => l.includes('listening on')) ?? '';
  await stopChild(child);
  // The catalogue in use, from the startup line: the bundle must really be loaded (and only there).
  const registryTypes = Number(/catalogue: ([\d,]+) registry types/.exec(line)?.[1]?.replaceAll(',', '') ?? 0);
  if (zip && registryTypes === 0) throw new Error(`the server started with --schemas does not report registry types: ${line || child.stderrText}`);
  if (!zip && registryTypes !== 0) throw new Error(`the built-in-only server reports registry types: ${line}`);
  return { readyMs: round(readyMs), rssMB: round(rss / MB), polls, otherCores, registryTypes };
}

async function measureStartups(ctx, zip) {
  const samples = { bundle: [], builtIn: [] };
  for (let i = 0; i < ctx.starts; i++) {
    const order = i % 2 === 0 ? ['builtIn', 'bundle'] : ['bundle', 'builtIn'];
    for (const which of order) {
      await ctx.waitForQuiet();
      const s = await startOnce(ctx.tmp, which, i, which === 'bundle' ? zip : undefined);
      samples[which].push(s);
      ctx.log(
        `  start ${i + 1} ${which === 'bundle' ? 'with the bundle' : 'built-in only  '}: first 200 after ${s.readyMs} ms, RSS ${s.rssMB} MB` +
          `${which === 'bundle' ? ` (${s.registryTypes} registry types)` : ''}; other processes ${s.otherCores} cores`,
      );
    }
  }
  const summary = (list) => ({ medianMs: round(median(list.map((s) => s.readyMs))), medianRssMB: round(median(list.map((s) => s.rssMB))), samples: list });
  return { bundle: summary(samples.bundle), builtIn: summary(samples.builtIn) };
}

/** test/support/synthesize.ts as an ES module, its java-regex import pointed at dist/. */
async function loadSynthesizer() {
  const ts = (await import('typescript')).default;
  const source = readFileSync(join(ROOT, 'test', 'support', 'synthesize.ts'), 'utf8');
  let js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const specifier = /(['"])\.\.\/\.\.\/src\/registry\/java-regex\.js\1/;
  if (!specifier.test(js)) throw new Error('test/support/synthesize.ts no longer imports ../../src/registry/java-regex.js; update bench/registry.mjs');
  js = js.replace(specifier, JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'registry', 'java-regex.js')).href));
  // Written next to the results (git-ignored) so that `randexp` resolves from the project's node_modules.
  const file = join(RESULTS_DIR, `.synthesize-${process.pid}.mjs`);
  writeFileSync(file, js);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}

const isProvisionable = (schema) => Boolean(schema.handlers?.create && schema.handlers.read && schema.handlers.delete);

/**
 * The writable top-level property whose schema, with every definition it reaches through $ref, is biggest: the
 * property whose validator costs most to compile (ccapi compiles a type's validator per top-level property, on
 * first use). Undefined when the type has no writable property.
 */
export function heaviestProperty(schema) {
  const definitions = schema.definitions ?? {};
  const readOnly = new Set((schema.readOnlyProperties ?? []).map((p) => p.split('/')[2]));
  const decode = (t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~');
  const refs = (node, out) => {
    if (Array.isArray(node)) for (const v of node) refs(v, out);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) out.push(decode(v.slice('#/definitions/'.length).split('/')[0]));
        else refs(v, out);
      }
    }
    return out;
  };
  let best;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (readOnly.has(name)) continue;
    const seen = new Set();
    const queue = refs(property, []);
    let size = JSON.stringify(property).length;
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
      if (seen.has(d) || !definitions[d]) continue;
      seen.add(d);
      size += JSON.stringify(definitions[d]).length;
      refs(definitions[d], queue);
    }
    if (!best || size > best.bytes) best = { name, bytes: size };
  }
  return best;
}

/**
 * The deterministic sample: the provisionable types in name order cut into `size` equal buckets; from each, the
 * first type (from the bucket's middle on, wrapping) for which a valid DesiredState can be synthesized.
 */
function chooseSample(bundle, synth, size, exclude) {
  const names = bundle.typeNames().filter((n) => !exclude.has(n) && isProvisionable(bundle.get(n).schema));
  const translate = synth.loadPatternTranslator().translate;
  // The required properties plus the heaviest one (so that the first create compiles the bulk of the schema);
  // just the required ones when no valid model with it is found.
  const modelFor = (name) => {
    const type = bundle.get(name);
    const heaviest = heaviestProperty(type.schema);
    for (const include of heaviest ? [[heaviest.name], []] : [[]]) {
      const result = synth.synthesizeDesiredState(type.schema, { validate: (m) => type.validate(m), translate, include });
      if (result.ok) return { desiredState: JSON.stringify(result.model), withProperty: include[0] ?? null };
    }
    return undefined;
  };
  const sample = [];
  const skipped = [];
  const bucket = names.length / size;
  for (let b = 0; b < size; b++) {
    const start = Math.floor(b * bucket);
    const end = Math.max(start + 1, Math.floor((b + 1) * bucket));
    const width = end - start;
    for (let k = 0; k < width; k++) {
      const name = names[start + ((Math.floor(width / 2) + k) % width)];
      const model = modelFor(name);
      if (model) {
        sample.push({ typeName: name, ...model });
        break;
      }
      skipped.push(name);
    }
  }
  return { sample, skipped, provisionable: names.length + exclude.size, modelFor };
}

async function createAndWait(url, agent, typeName, desiredState, clientToken) {
  const t0 = performance.now();
  const response = await call(url, 'CreateResource', { TypeName: typeName, DesiredState: desiredState, ClientToken: clientToken }, { agent });
  const ms = performance.now() - t0;
  if (response.status !== 200) return { ms, status: response.status, error: response.body.toString('utf8').slice(0, 300) };
  const token = progressEventOf(response, `CreateResource ${typeName}`).RequestToken;
  const deadline = performance.now() + 15_000;
  for (;;) {
    const event = progressEventOf(await call(url, 'GetResourceRequestStatus', { RequestToken: token }, { agent }), 'GetResourceRequestStatus');
    if (['SUCCESS', 'FAILED', 'CANCEL_COMPLETE'].includes(event.OperationStatus)) {
      return { ms, status: 200, outcome: event.OperationStatus, ...(event.OperationStatus === 'SUCCESS' ? {} : { error: `${event.ErrorCode}: ${event.StatusMessage}` }) };
    }
    if (performance.now() > deadline) return { ms, status: 200, outcome: 'TIMEOUT' };
    await sleep(5);
  }
}

async function measureFirstUse(ctx, zip, plan, runId, roundCount) {
  const rounds = [];
  for (let r = 0; r < roundCount; r++) {
    await ctx.waitForQuiet();
    const child = spawnTracked(process.execPath, serveArgs(0, join(ctx.tmp, `registry-first-use-${r}.db`), zip), { cwd: ROOT, env: serverEnv(ctx.tmp) });
    const url = await waitForListening(child);
    const agent = keepAliveAgent(1);
    try {
      const { value, otherCores } = await otherCoresDuring(
        () => (child.exitCode === null ? [child.pid] : []),
        async () => {
          const warmUp = await createAndWait(url, agent, WARM_UP_TYPE, JSON.stringify({ LogGroupName: `bench-${runId}-warm-${r}` }), `bench-${runId}-warm-${r}`);
          if (warmUp.outcome !== 'SUCCESS') throw new Error(`warm-up create failed: ${JSON.stringify(warmUp)}`);
          const types = {};
          for (const [i, item] of [...plan.sample, ...plan.largest].entries()) {
            types[item.typeName] = await createAndWait(url, agent, item.typeName, item.desiredState, `bench-${runId}-first-${r}-${i}`);
          }
          return { warmUpMs: round(warmUp.ms), types };
        },
      );
      value.otherCores = otherCores;
      rounds.push(value);
      const sampleMs = plan.sample.map((s) => value.types[s.typeName].ms);
      ctx.log(
        `  round ${r + 1}: warm-up ${WARM_UP_TYPE} ${value.warmUpMs} ms; sample median ${round(median(sampleMs))} ms, max ${round(Math.max(...sampleMs))} ms; ` +
          plan.largest.map((l) => `${l.typeName} ${round(value.types[l.typeName].ms)} ms`).join(', ') +
          `; other processes ${otherCores} cores`,
      );
    } finally {
      agent.destroy();
      await stopChild(child);
    }
  }
  const perType = (typeName) => {
    const runs = rounds.map((r) => r.types[typeName]);
    return {
      typeName,
      medianMs: round(median(runs.map((x) => x.ms))),
      runsMs: runs.map((x) => round(x.ms)),
      outcomes: [...new Set(runs.map((x) => x.outcome ?? `HTTP ${x.status}`))],
      ...(runs.find((x) => x.error) ? { error: runs.find((x) => x.error).error } : {}),
    };
  };
  const sample = plan.sample.map((s) => ({ ...perType(s.typeName), withProperty: s.withProperty }));
  const largest = plan.largest.map((l) => ({ ...perType(l.typeName), schemaBytes: l.schemaBytes, withProperty: l.withProperty }));
  const sorted = sample.map((s) => s.medianMs).sort((a, b) => a - b);
  return {
    rounds: rounds.map((r) => ({ warmUpMs: r.warmUpMs, otherCores: r.otherCores })),
    sample,
    sampleMedianMs: round(median(sorted)),
    sampleP90Ms: sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)],
    sampleMaxMs: sorted.at(-1),
    notAccepted: sample.filter((s) => !s.outcomes.every((o) => o === 'SUCCESS')).map((s) => ({ typeName: s.typeName, outcomes: s.outcomes, error: s.error })),
    largest,
    maxOtherCores: Math.max(...rounds.map((r) => r.otherCores)),
  };
}

async function measureValidation(ctx, zip, models, count) {
  const { openSchemaBundle } = await import(pathToFileURL(join(ROOT, 'dist', 'registry', 'bundle.js')).href);
  const bundle = openSchemaBundle(zip);
  const out = [];
  for (const [typeName, model] of Object.entries(models)) {
    const type = bundle.get(typeName);
    if (!type) throw new Error(`${typeName} is not in ${zip}`);
    const c0 = performance.now();
    const first = type.validate(model);
    const compileMs = performance.now() - c0;
    if (first.length) throw new Error(`the benchmark model of ${typeName} is not valid: ${first.join('; ')}`);
    await ctx.waitForQuiet();
    const { value: runs, otherCores } = await otherCoresDuring(
      () => [],
      async () => {
        let sink = 0;
        for (let i = 0; i < Math.min(count, 20_000); i++) sink += type.validate(model).length; // warm-up
        const runs = [];
        for (let run = 0; run < 3; run++) {
          const t0 = process.hrtime.bigint();
          for (let i = 0; i < count; i++) sink += type.validate(model).length;
          runs.push(Number(process.hrtime.bigint() - t0) / 1e3 / count);
        }
        if (sink !== 0) throw new Error(`${typeName}: the model became invalid during the run`);
        return runs;
      },
    );
    const result = { typeName, microsPerCall: round(median(runs), 2), runsMicros: runs.map((x) => round(x, 2)), compileMs: round(compileMs), validations: count, otherCores };
    out.push(result);
    ctx.log(`  ${typeName.padEnd(28)} ${String(result.microsPerCall).padStart(6)} µs per validation (runs ${result.runsMicros.join(', ')}; compiled in ${result.compileMs} ms); other processes ${otherCores} cores`);
  }
  return out;
}

/** e.: [label, Java pattern (as in the bundle), crafted input, expected answer, checked against the target]. */
const HOSTILE_PATTERNS = [
  ['WAFv2 JsonPointerPath', '^[\\/]+([^~]*(~[01])*)*{1,512}$', '/' + '~0'.repeat(25_000) + '~', false, true],
  ['nested name pattern', '^([A-Za-z0-9]+[A-Za-z0-9-.]*)*[A-Za-z0-9-]*[A-Za-z0-9]$', 'a'.repeat(50_000) + '!', false, true],
  ['WAFv2 Description', '^[a-zA-Z0-9=:#@/\\-,.][a-zA-Z0-9+=:#@/\\-,.\\s]+[a-zA-Z0-9+=:#@/\\-,.]{1,256}$', 'a'.repeat(50_000) + '!', false, false],
];

async function measureHostilePatterns(ctx) {
  const { compileJavaPattern } = await import(pathToFileURL(join(ROOT, 'dist', 'registry', 'java-regex.js')).href);
  const out = [];
  for (const [label, pattern, input, expected, checked] of HOSTILE_PATTERNS) {
    const re = compileJavaPattern(pattern);
    await ctx.waitForQuiet();
    const { value: runs, otherCores } = await otherCoresDuring(
      () => [],
      async () => {
        const runs = [];
        for (let run = 0; run < 3; run++) {
          const t0 = performance.now();
          const answer = re.test(input);
          runs.push(performance.now() - t0);
          if (answer !== expected) throw new Error(`${label}: test() answered ${answer} on the crafted input`);
        }
        return runs;
      },
    );
    const result = { label, pattern, inputChars: input.length, risky: re.risky, linearTime: re.linearTime, ms: round(median(runs)), runsMs: runs.map((x) => round(x)), checked, otherCores };
    out.push(result);
    ctx.log(`  ${label.padEnd(22)} ${String(result.ms).padStart(7)} ms for ${input.length.toLocaleString('en-US')} characters (runs ${result.runsMs.join(', ')}; ${re.risky ? 'prone to backtracking' : 'long input'}${checked ? '' : ', for information'}); other processes ${otherCores} cores`);
  }
  return out;
}

/**
 * Runs the section. `ctx`: { tmp, log, quick, starts, waitForQuiet, noisyCores }.
 * Returns { registry (for latest.json), rows: [{ name, measured, target, pass, value, noisy }] }.
 */
export async function runRegistryBench(ctx) {
  const config = registryConfig(ctx);
  const { log } = ctx;
  const noisy = (cores) => cores > ctx.noisyCores;
  if (!existsSync(config.zip)) {
    return { registry: { skipped: `${config.zip} not found (set BENCH_SCHEMAS_ZIP)` }, rows: [] };
  }
  const runId = Date.now().toString(36);
  const registry = { zip: config.zip, config };
  const rows = [];

  log(`[registry] startup with --schemas ${config.zip} vs. built-in only, ${ctx.starts} of each, alternating; VmRSS right after the first health 200`);
  registry.startup = await measureStartups(ctx, config.zip);
  const { bundle: withBundle, builtIn } = registry.startup;
  registry.startup.addedMs = round(withBundle.medianMs - builtIn.medianMs);
  registry.memory = { bundleRssMB: withBundle.medianRssMB, builtInRssMB: builtIn.medianRssMB, addedMB: round(withBundle.medianRssMB - builtIn.medianRssMB) };
  log(`  median: with the bundle ${withBundle.medianMs} ms (${withBundle.medianRssMB} MB), built-in only ${builtIn.medianMs} ms (${builtIn.medianRssMB} MB)`);
  log();

  log('[registry] preparing: every schema parsed in this process, a deterministic sample, valid DesiredStates synthesized');
  const { openSchemaBundle } = await import(pathToFileURL(join(ROOT, 'dist', 'registry', 'bundle.js')).href);
  const bundle = openSchemaBundle(config.zip);
  const synth = await loadSynthesizer();
  const bySize = bundle
    .typeNames()
    .map((n) => ({ typeName: n, schemaBytes: JSON.stringify(bundle.get(n).schema).length }))
    .filter((t) => isProvisionable(bundle.get(t.typeName).schema))
    .sort((a, b) => b.schemaBytes - a.schemaBytes);
  const largestTypes = bySize.slice(0, 2); // the biggest schema (the check) and the runner-up (for information)
  const chosen = chooseSample(bundle, synth, config.sample, new Set([WARM_UP_TYPE, ...largestTypes.map((t) => t.typeName)]));
  const largest = largestTypes.map((t) => {
    const model = chosen.modelFor(t.typeName);
    if (!model) throw new Error(`no valid DesiredState could be synthesized for ${t.typeName}`);
    return { ...t, ...model };
  });
  const withHeaviest = chosen.sample.filter((s) => s.withProperty).length;
  log(
    `  ${chosen.provisionable} provisionable types; sample of ${chosen.sample.length} (${chosen.skipped.length} passed over: no valid model synthesized), ` +
      `${withHeaviest} of them with their heaviest property set; largest schemas: ` +
      largest.map((l) => `${l.typeName} (${Math.round(l.schemaBytes / 1024)} KB, with ${l.withProperty ?? 'required properties only'})`).join(', '),
  );
  log();

  log(`[registry] first CreateResource of a never-seen type (HTTP duration; schema parse and compile included), ${config.rounds} fresh server(s)`);
  registry.firstUse = await measureFirstUse(ctx, config.zip, { sample: chosen.sample, largest }, runId, config.rounds);
  registry.firstUse.sampleSkipped = chosen.skipped;
  const fu = registry.firstUse;
  log(`  sample of ${fu.sample.length}: median ${fu.sampleMedianMs} ms, p90 ${fu.sampleP90Ms} ms, max ${fu.sampleMaxMs} ms; ${fu.notAccepted.length} did not reach SUCCESS`);
  for (const miss of fu.notAccepted) log(`    ${miss.typeName}: ${miss.outcomes.join('/')} ${miss.error ?? ''}`);
  log();

  const validationModels = { ...VALIDATION_MODELS, [largest[0].typeName]: JSON.parse(largest[0].desiredState) };
  log(`[registry] cached validation in this process (dist/registry/bundle.js), ${config.validations.toLocaleString('en-US')} calls after warm-up, median of 3 runs`);
  registry.validation = await measureValidation(ctx, config.zip, validationModels, config.validations);
  log();

  log('[registry] crafted 50 KB strings on patterns prone to catastrophic backtracking, test() in this process (dist/registry/java-regex.js), median of 3');
  registry.hostilePatterns = await measureHostilePatterns(ctx);
  log();

  // Rows.
  const startupNoisy = [...withBundle.samples, ...builtIn.samples].some((s) => noisy(s.otherCores));
  rows.push({
    name: `Registry: startup to health 200 with the bundle (median of ${ctx.starts})`,
    measured: `${withBundle.medianMs} ms (built-in only ${builtIn.medianMs} ms, ${registry.startup.addedMs >= 0 ? '+' : ''}${registry.startup.addedMs} ms)`,
    target: `< ${REGISTRY_TARGETS.startupMs.toLocaleString('en-US')} ms`,
    pass: withBundle.medianMs < REGISTRY_TARGETS.startupMs,
    value: withBundle.medianMs,
    noisy: startupNoisy,
  });
  const allAccepted = fu.notAccepted.length === 0 && fu.largest.every((l) => l.outcomes.every((o) => o === 'SUCCESS'));
  rows.push({
    name: `Registry: first CreateResource of a type, median of ${fu.sample.length} types`,
    measured: `${fu.sampleMedianMs} ms (p90 ${fu.sampleP90Ms}, max ${fu.sampleMaxMs}; ${fu.sample.length - fu.notAccepted.length}/${fu.sample.length} SUCCESS)`,
    target: `< ${REGISTRY_TARGETS.firstCreateMedianMs} ms, all SUCCESS`,
    pass: fu.sampleMedianMs < REGISTRY_TARGETS.firstCreateMedianMs && fu.notAccepted.length === 0,
    value: fu.sampleMedianMs,
    noisy: noisy(fu.maxOtherCores),
  });
  const big = fu.largest[0];
  rows.push({
    name: `Registry: first CreateResource of the largest type (${big.typeName}, ${Math.round(big.schemaBytes / 1024)} KB, with ${big.withProperty ?? 'required only'})`,
    measured: `${big.medianMs} ms (${big.runsMs.join(', ')}; ${fu.largest.slice(1).map((l) => `${l.typeName} ${l.medianMs} ms`).join(', ')})`,
    target: `< ${REGISTRY_TARGETS.firstCreateLargestMs} ms, SUCCESS`,
    pass: big.medianMs < REGISTRY_TARGETS.firstCreateLargestMs && allAccepted,
    value: big.medianMs,
    noisy: noisy(fu.maxOtherCores),
  });
  for (const v of registry.validation) {
    rows.push({
      name: `Registry: cached validation, ${v.typeName}`,
      measured: `${v.microsPerCall} µs per call`,
      target: `< ${REGISTRY_TARGETS.validationMicros} µs`,
      pass: v.microsPerCall < REGISTRY_TARGETS.validationMicros,
      value: v.microsPerCall,
      noisy: noisy(v.otherCores),
    });
  }
  const hostile = registry.hostilePatterns.filter((h) => h.checked);
  const worst = hostile.reduce((a, b) => (b.ms > a.ms ? b : a));
  rows.push({
    name: `Registry: test() of a crafted 50 KB string, patterns prone to backtracking (${hostile.map((h) => h.label).join(', ')})`,
    measured: `${worst.ms} ms at most (${hostile.map((h) => `${h.label} ${h.ms} ms`).join(', ')})`,
    target: `< ${REGISTRY_TARGETS.hostilePatternMs} ms`,
    pass: worst.ms < REGISTRY_TARGETS.hostilePatternMs,
    value: worst.ms,
    noisy: hostile.some((h) => noisy(h.otherCores)),
  });
  registry.maxOtherCores = Math.max(
    ...[...withBundle.samples, ...builtIn.samples].map((s) => s.otherCores), fu.maxOtherCores, ...registry.validation.map((v) => v.otherCores),
    ...registry.hostilePatterns.map((h) => h.otherCores),
  );
  rows.push({
    name: 'Registry: RSS added by the bundle index, right after health',
    measured: `${registry.memory.addedMB} MB (${registry.memory.bundleRssMB} vs ${registry.memory.builtInRssMB} MB, medians)`,
    target: `< ${REGISTRY_TARGETS.indexRssBytes / MB} MB`,
    pass: registry.memory.addedMB * MB < REGISTRY_TARGETS.indexRssBytes,
    value: registry.memory.addedMB,
  });
  return { registry, rows };
}
