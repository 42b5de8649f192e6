/**
 * The Availability Zones of each AWS Region, by name (us-east-1a) with its AZ ID (use1-az1): where the default
 * VPC puts one default subnet each, and what an AvailabilityZone property may name.
 *
 * Source: "AWS Availability Zones" (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html),
 * which lists every AZ ID per Region ("The code for an Availability Zone is its Region code followed by a letter
 * identifier"; "An AZ ID consists of the first three letters of the Region code, followed by the number at the end
 * of the Region code, followed by -az, followed by a number"). The excerpts read while writing this confirm
 * us-east-1 (use1-az1 … use1-az6), us-east-2 (3), us-west-1 (usw1-az1, usw1-az3), us-west-2 (usw2-az1 … az4) and
 * eu-west-1 (euw1-az1 … az3); the other Regions' counts are from the same page but were not re-read line by line.
 *
 * In the oldest Regions AWS "independently map[s] Availability Zones to codes for each AWS account"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html): there, which letters an account
 * sees and which AZ ID each letter is differ per account. This table gives one such mapping (the letters a new
 * account commonly sees, paired with the AZ IDs in order) — a valid account's view, not every account's.
 * Where letters skip (ca-central-1 has a, b, d; ap-northeast-1 a, c, d) the gap is AWS's, as the page shows.
 */

export interface AvailabilityZone {
  /** us-east-1a */
  name: string;
  /** use1-az1 */
  id: string;
}

/** How a Region code's words shorten in its AZ IDs (use1, apne1, cnnw1, usgw1, euc1). */
const WORD_CODES: Readonly<Record<string, string>> = { northeast: 'ne', southeast: 'se', northwest: 'nw', southwest: 'sw' };

/** The AZ ID prefix of a Region: its short code ("use1" for us-east-1, "apne1" for ap-northeast-1). */
function idPrefix(region: string): string {
  const parts = region.split('-');
  return parts[0]! + parts.slice(1, -1).map((word) => WORD_CODES[word] ?? word[0]).join('') + parts[parts.length - 1];
}

/** Region → the letters of its zones, and (where they are not 1, 2, 3 …) the AZ ID numbers in the same order. */
const REGION_ZONES: Readonly<Record<string, { letters: string; ids?: number[] }>> = {
  'us-east-1': { letters: 'abcdef' },
  'us-east-2': { letters: 'abc' },
  'us-west-1': { letters: 'ab', ids: [1, 3] },
  'us-west-2': { letters: 'abcd' },
  'ca-central-1': { letters: 'abd', ids: [1, 2, 4] },
  'ca-west-1': { letters: 'abc' },
  'mx-central-1': { letters: 'abc' },
  'sa-east-1': { letters: 'abc' },
  'eu-west-1': { letters: 'abc' },
  'eu-west-2': { letters: 'abc' },
  'eu-west-3': { letters: 'abc' },
  'eu-central-1': { letters: 'abc' },
  'eu-central-2': { letters: 'abc' },
  'eu-north-1': { letters: 'abc' },
  'eu-south-1': { letters: 'abc' },
  'eu-south-2': { letters: 'abc' },
  'ap-northeast-1': { letters: 'acd', ids: [1, 2, 4] },
  'ap-northeast-2': { letters: 'abcd' },
  'ap-northeast-3': { letters: 'abc' },
  'ap-southeast-1': { letters: 'abc' },
  'ap-southeast-2': { letters: 'abc' },
  'ap-southeast-3': { letters: 'abc' },
  'ap-southeast-4': { letters: 'abc' },
  'ap-southeast-5': { letters: 'abc' },
  'ap-southeast-7': { letters: 'abc' },
  'ap-south-1': { letters: 'abc' },
  'ap-south-2': { letters: 'abc' },
  'ap-east-1': { letters: 'abc' },
  'me-south-1': { letters: 'abc' },
  'me-central-1': { letters: 'abc' },
  'il-central-1': { letters: 'abc' },
  'af-south-1': { letters: 'abc' },
  'us-gov-west-1': { letters: 'abc' },
  'us-gov-east-1': { letters: 'abc' },
  'cn-north-1': { letters: 'abd', ids: [1, 2, 4] },
  'cn-northwest-1': { letters: 'abc' },
};

/** The Region's zones in letter order; empty for a Region this table does not know (ccapi then invents none). */
export function zonesOf(region: string): AvailabilityZone[] {
  const entry = REGION_ZONES[region];
  if (!entry) return [];
  const prefix = idPrefix(region);
  return [...entry.letters].map((letter, i) => ({ name: `${region}${letter}`, id: `${prefix}-az${entry.ids?.[i] ?? i + 1}` }));
}

/** Regions the table knows. */
export function knownRegions(): string[] {
  return Object.keys(REGION_ZONES);
}
