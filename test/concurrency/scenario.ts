/**
 * What the concurrency checker does to a server, as fast-check arbitraries: rounds of calls that many
 * clients send at nearly the same moment (0–3 ms apart), on a few LogGroups, spread over the nodes.
 * Races are made likely on purpose: many rounds are two or three UpdateResource calls on one resource
 * patching different properties, which is how a lost update shows.
 */
import fc from 'fast-check';

/** The retention values AWS::Logs::LogGroup accepts (its schema's enum). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * One operation of an update's patch. The driver fills in unique values (a policy name, a tag key), so
 * the final model shows which updates were applied, and in which order.
 */
export type PatchPart = { kind: 'retention'; days: number } | { kind: 'policy' } | { kind: 'tag' };

export type Mutation =
  | { op: 'create'; resource: number }
  | { op: 'update'; resource: number; patch: PatchPart[] }
  | { op: 'delete'; resource: number };

export type Action =
  | {
      kind: 'mutate';
      node: number;
      /** Sent this long after the round starts. */
      offsetMs: number;
      mutation: Mutation;
      clientToken: boolean;
      /** The same call (same ClientToken) sent a second time 0–2 ms later, as a retrying SDK might. */
      sendTwice: boolean;
      /** CancelResourceRequest for the accepted request this long after the answer. */
      cancelAfterMs?: number;
    }
  /** Cancels the target-th most recently acknowledged request of the run (modulo their number). */
  | { kind: 'cancel'; node: number; offsetMs: number; target: number }
  /** Sends an earlier call that carried a ClientToken again: as it was, or with a different input. */
  | { kind: 'replay'; node: number; offsetMs: number; target: number; sameInput: boolean };

export interface Round {
  /** Quiet time before the round starts. */
  pauseMs: number;
  actions: Action[];
}

export interface Scenario {
  /** How many LogGroups the run uses; each is created (and waited for) before the rounds. */
  resources: number;
  rounds: Round[];
}

const patchPart: fc.Arbitrary<PatchPart> = fc.oneof(
  fc.record({ kind: fc.constant('retention' as const), days: fc.constantFrom(...RETENTION_DAYS) }),
  fc.constant({ kind: 'policy' as const }),
  fc.constant({ kind: 'tag' as const }),
);

/** Patches of one or two operations on different properties. */
const patch = fc.uniqueArray(patchPart, { minLength: 1, maxLength: 2, selector: (p) => p.kind });

function mutateAction(nodes: number, mutation: fc.Arbitrary<Mutation>): fc.Arbitrary<Action> {
  return fc.record(
    {
      kind: fc.constant('mutate' as const),
      node: fc.nat(nodes - 1),
      offsetMs: fc.integer({ min: 0, max: 3 }),
      mutation,
      clientToken: fc.boolean(),
      sendTwice: fc.boolean(),
      cancelAfterMs: fc.integer({ min: 0, max: 40 }),
    },
    { requiredKeys: ['kind', 'node', 'offsetMs', 'mutation', 'clientToken', 'sendTwice'] },
  ).map((a) => (a.clientToken || !a.sendTwice ? a : { ...a, sendTwice: false }));
}

function mutation(resources: number): fc.Arbitrary<Mutation> {
  const resource = fc.nat(resources - 1);
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ op: fc.constant('update' as const), resource, patch }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('create' as const), resource }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), resource }) },
  );
}

/** Race rounds only race: no follow-up cancel. */
function withoutCancel(action: Action): Action {
  if (action.kind !== 'mutate') return action;
  const { cancelAfterMs: _cancel, ...rest } = action;
  return rest;
}

/** Two or three updates of one resource, patching different properties, sent 0–3 ms apart (from any node). */
function raceRound(nodes: number, resources: number): fc.Arbitrary<Action[]> {
  return fc.nat(resources - 1).chain((resource) =>
    fc
      .uniqueArray(patchPart, { minLength: 2, maxLength: 3, selector: (p) => p.kind })
      .chain((parts) =>
        fc.tuple(
          ...parts.map((part) =>
            mutateAction(nodes, fc.constant({ op: 'update' as const, resource, patch: [part] })).map(withoutCancel),
          ),
        ),
      ),
  );
}

function mixedRound(nodes: number, resources: number): fc.Arbitrary<Action[]> {
  const node = fc.nat(nodes - 1);
  const offsetMs = fc.integer({ min: 0, max: 3 });
  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 6, arbitrary: mutateAction(nodes, mutation(resources)) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), node, offsetMs, target: fc.nat(4) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), node, offsetMs, target: fc.nat(20), sameInput: fc.boolean() }) },
  );
  return fc.array(action, { minLength: 1, maxLength: 5 });
}

export interface ScenarioLimits {
  nodes: number;
  maxResources: number;
  maxRounds: number;
}

export function scenario({ nodes, maxResources, maxRounds }: ScenarioLimits): fc.Arbitrary<Scenario> {
  return fc.integer({ min: 1, max: maxResources }).chain((resources) =>
    fc.record({
      resources: fc.constant(resources),
      rounds: fc.array(
        fc.record({
          pauseMs: fc.integer({ min: 0, max: 30 }),
          actions: fc.oneof({ weight: 1, arbitrary: raceRound(nodes, resources) }, { weight: 1, arbitrary: mixedRound(nodes, resources) }),
        }),
        { minLength: 1, maxLength: maxRounds },
      ),
    }),
  );
}
