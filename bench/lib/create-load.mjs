/**
 * Create→SUCCESS load: N concurrent clients, each looping CreateResource (unique ClientToken and, for
 * LogGroups, a unique name) → one immediate GetResourceRequestStatus on the returned token (is the FIRST
 * poll already SUCCESS?) → if not, more polls until a terminal status or a deadline.
 */
import { call, keepAliveAgent, sleep } from './client.mjs';

export const CREATE_TYPES = {
  logs: { typeName: 'AWS::Logs::LogGroup', desiredState: (name) => JSON.stringify({ LogGroupName: name, RetentionInDays: 7 }) },
  sqs: { typeName: 'AWS::SQS::Queue', desiredState: () => '{}' },
  // One reference per create (Role → an IAM role the caller created first: `context.roleArn`), for the cost of reference checks.
  lambda: {
    typeName: 'AWS::Lambda::Function',
    desiredState: (name, context) =>
      JSON.stringify({ FunctionName: name, Role: context.roleArn, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' } }),
  },
};

export function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at];
}

/**
 * Runs until `seconds` have passed (clients start no new iteration after that) or, with `untilRequests`,
 * until that many HTTP requests have been sent. Returns counters; rates use the real elapsed time
 * (the last in-flight iterations included). `onAccepted(token)`, if given, sees every accepted request's
 * token (the PostgreSQL section samples their timelines).
 */
export async function runCreateLoad({ url, clients, seconds, untilRequests, kind = 'logs', context = {}, runId, phase, pollDeadlineMs = 10_000, pollIntervalMs = 1, onAccepted }) {
  const type = CREATE_TYPES[kind];
  if (!type) throw new Error(`unknown create type ${kind} (use one of ${Object.keys(CREATE_TYPES).join(', ')})`);
  const agent = keepAliveAgent(clients);
  const stats = {
    phase,
    typeName: type.typeName,
    clients,
    requests: 0,
    creates: 0,
    completed: 0,
    failed: 0,
    pollTimeouts: 0,
    firstPoll: {},
    extraPolls: 0,
    httpErrors: {},
    transportErrors: 0,
    firstTransportError: undefined,
  };
  const latencies = [];
  const t0 = performance.now();
  const deadline = seconds === undefined ? Infinity : t0 + seconds * 1000;
  const stop = () => performance.now() >= deadline || (untilRequests !== undefined && stats.requests >= untilRequests);
  let seq = 0;

  const countHttpError = (operation, response) => {
    const code = `${operation} ${response.status} ${response.json?.__type ?? ''}`.trim();
    stats.httpErrors[code] = (stats.httpErrors[code] ?? 0) + 1;
  };

  async function client(c) {
    while (!stop()) {
      const n = seq++;
      const started = performance.now();
      try {
        const name = `bench-${runId}-${phase}-${c}-${n}`;
        stats.requests++;
        const created = await call(url, 'CreateResource', { TypeName: type.typeName, DesiredState: type.desiredState(name, context), ClientToken: name }, { agent });
        const token = created.json?.ProgressEvent?.RequestToken;
        if (created.status !== 200 || !token) {
          countHttpError('CreateResource', created);
          continue;
        }
        stats.creates++;
        onAccepted?.(token);
        for (let poll = 1; ; poll++) {
          stats.requests++;
          const polled = await call(url, 'GetResourceRequestStatus', { RequestToken: token }, { agent });
          const status = polled.json?.ProgressEvent?.OperationStatus;
          if (polled.status !== 200 || !status) {
            countHttpError('GetResourceRequestStatus', polled);
            break;
          }
          if (poll === 1) stats.firstPoll[status] = (stats.firstPoll[status] ?? 0) + 1;
          else stats.extraPolls++;
          if (status === 'SUCCESS') {
            stats.completed++;
            latencies.push(performance.now() - started);
            break;
          }
          if (status === 'FAILED' || status === 'CANCEL_COMPLETE') {
            stats.failed++;
            break;
          }
          if (performance.now() - started > pollDeadlineMs) {
            stats.pollTimeouts++;
            break;
          }
          await sleep(pollIntervalMs);
        }
      } catch (error) {
        stats.transportErrors++;
        stats.firstTransportError ??= error.message;
        await sleep(10);
      }
    }
  }

  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const firstPolls = Object.values(stats.firstPoll).reduce((a, b) => a + b, 0);
  return {
    ...stats,
    elapsedSeconds: elapsed,
    completedPerSecond: stats.completed / elapsed,
    requestsPerSecond: stats.requests / elapsed,
    firstPolls,
    firstPollSuccessShare: firstPolls ? (stats.firstPoll.SUCCESS ?? 0) / firstPolls : 0,
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) },
  };
}
