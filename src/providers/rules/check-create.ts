/**
 * The create rules (create-rules.ts), run over the completed model at the create handler's step, before the
 * resource is written: the service's refusal, or undefined. Each rule kind is one generic check; the data says
 * which type, which paths, which error.
 */
import type { HandlerProgressEvent, ResourceModel } from '../contract.js';
import { zonesOf } from './zones.js';
import { contains, overlaps, parseIpv4Block, type Ipv4Block } from './cidr.js';
import { CREATE_RULES, type CidrDisjointRule, type CidrWithinRule, type CreateRule, type UniqueRule, type ZoneRule } from './create-rules.js';
import { byType, failed, modelOf, valuesAt, type RuleContext } from './lookup.js';

/**
 * How many subnets of a VPC the overlap check compares. "Subnets per VPC: 200" is the default quota
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html), adjustable: five times that is read.
 */
const SIBLING_READ = 1000;
/** How many CIDR associations of a VPC are read ("IPv4 CIDR blocks per VPC: 5", adjustable up to 50: same page). */
const ASSOCIATION_READ = 50;
/** How many resources sharing a unique value are read to find one in the same parent. */
const SAME_VALUE_READ = 100;

const createRulesByType = byType(CREATE_RULES);

type Check<R extends CreateRule> = (rule: R, model: ResourceModel, context: RuleContext) => Promise<HandlerProgressEvent | undefined>;

/**
 * Fills the zone AWS picks when none is named (with its AZ ID), and refuses a zone outside the Region. The zones
 * are the shared table (zones.ts, also the default VPC's subnets'); a Region it does not know is not checked.
 */
const checkZone: Check<ZoneRule> = async (rule, model, context) => {
  const zones = zonesOf(context.region);
  const zone = model[rule.zonePath];
  const zoneId = rule.zoneIdPath ? model[rule.zoneIdPath] : undefined;
  if (typeof zone === 'string') {
    if (zones.length === 0) return undefined;
    const known = zones.find((z) => z.name === zone);
    if (!known) return failed(rule, { ...model, Zones: zones.map((z) => z.name).join(', ') }, context.ids);
    if (rule.zoneIdPath && zoneId === undefined) model[rule.zoneIdPath] = known.id;
    return undefined;
  }
  if (typeof zoneId === 'string') {
    const known = zones.find((z) => z.id === zoneId);
    if (known) model[rule.zonePath] = known.name;
    return undefined;
  }
  // A Region the table does not know still gets a zone of the documented form: its code and a letter.
  model[rule.zonePath] = zones[0]?.name ?? `${context.region}a`;
  if (rule.zoneIdPath && zones[0]) model[rule.zoneIdPath] = zones[0].id;
  return undefined;
};

const checkCidrWithin: Check<CidrWithinRule> = async (rule, model, context) => {
  const own = parseIpv4Block(model[rule.path]);
  const parentId = valuesAt(model, rule.parent.via)[0];
  if (!own || parentId === undefined) return undefined;
  const parent = await context.lookups.ofType(rule.parent.type).get(parentId);
  if (!parent) return undefined;
  const blocks: Ipv4Block[] = [];
  const primary = parseIpv4Block(modelOf(parent)[rule.parent.block]);
  if (primary) blocks.push(primary);
  if (rule.associations) {
    const associated = await context.lookups.ofType(rule.associations.type).findBy(rule.associations.path, parentId, ASSOCIATION_READ);
    for (const association of associated) {
      const block = parseIpv4Block(modelOf(association)[rule.associations.block]);
      if (block) blocks.push(block);
    }
  }
  // A parent whose blocks ccapi cannot read (an IPAM-allocated VPC) is not second-guessed.
  if (blocks.length === 0 || blocks.some((block) => contains(block, own))) return undefined;
  return failed(rule, model, context.ids);
};

const checkCidrDisjoint: Check<CidrDisjointRule> = async (rule, model, context) => {
  const own = parseIpv4Block(model[rule.path]);
  const parentId = valuesAt(model, rule.siblingsBy)[0];
  if (!own || parentId === undefined) return undefined;
  const siblings = await context.lookups.ofType(rule.type).findBy(rule.siblingsBy, parentId, SIBLING_READ);
  const conflict = siblings.some((sibling) => {
    const block = parseIpv4Block(modelOf(sibling)[rule.path]);
    return block !== undefined && overlaps(block, own);
  });
  return conflict ? failed(rule, model, context.ids) : undefined;
};

const checkUnique: Check<UniqueRule> = async (rule, model, context) => {
  const value = valuesAt(model, rule.path)[0];
  const parentId = valuesAt(model, rule.within)[0];
  // Without the parent named (a group in the default VPC, named by name alone) the scope is not known here.
  if (value === undefined || parentId === undefined) return undefined;
  if (rule.alwaysTaken?.includes(value)) return failed(rule, model, context.ids);
  const same = await context.lookups.ofType(rule.type).findBy(rule.path, value, SAME_VALUE_READ);
  const taken = same.some((other) => valuesAt(modelOf(other), rule.within).includes(parentId));
  return taken ? failed(rule, model, context.ids) : undefined;
};

const CHECKS: { [K in CreateRule['kind']]: Check<Extract<CreateRule, { kind: K }>> } = {
  zone: checkZone,
  cidrWithin: checkCidrWithin,
  cidrDisjoint: checkCidrDisjoint,
  unique: checkUnique,
};

/**
 * Runs the type's create rules over the completed model, in their order: the service's refusal, or undefined.
 * A rule may complete the model as AWS does (the zone AWS picks), so `model` is changed in place.
 */
export async function checkCreate(typeName: string, model: ResourceModel, context: RuleContext): Promise<HandlerProgressEvent | undefined> {
  for (const rule of createRulesByType.get(typeName) ?? []) {
    const check = CHECKS[rule.kind] as Check<CreateRule>;
    const refused = await check(rule, model, context);
    if (refused) return refused;
  }
  return undefined;
}
